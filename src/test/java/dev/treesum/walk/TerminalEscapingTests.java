package dev.treesum.walk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.treesum.TestTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Names are shown as GNU {@code ls --quoting-style=escape} shows them in a UTF-8 locale,
 * checked against the real ls on real files; whatever the bytes, the output holds no
 * control and reads back to the exact name; free text keeps its spaces and is returned as
 * is when clean.
 */
class TerminalEscapingTests {

	/** What a terminal would honour, or what is not a character at all, in names. */
	static Stream<Arguments> hostileAndOrdinaryNames() {
		List<Arguments> names = new ArrayList<>(List.of(
				// C0 controls, each between two letters
				name("NUL", bytes("a", 0x00, "b"), "a\\000b"), name("SOH", bytes("a", 0x01, "b"), "a\\001b"),
				name("STX", bytes("a", 0x02, "b"), "a\\002b"), name("ETX", bytes("a", 0x03, "b"), "a\\003b"),
				name("EOT", bytes("a", 0x04, "b"), "a\\004b"), name("ENQ", bytes("a", 0x05, "b"), "a\\005b"),
				name("ACK", bytes("a", 0x06, "b"), "a\\006b"), name("BEL", bytes("a", 0x07, "b"), "a\\ab"),
				name("BS", bytes("a", 0x08, "b"), "a\\bb"), name("HT", bytes("a", 0x09, "b"), "a\\tb"),
				name("LF", bytes("a", 0x0a, "b"), "a\\nb"), name("VT", bytes("a", 0x0b, "b"), "a\\vb"),
				name("FF", bytes("a", 0x0c, "b"), "a\\fb"), name("CR", bytes("a", 0x0d, "b"), "a\\rb"),
				name("SO", bytes("a", 0x0e, "b"), "a\\016b"), name("SI", bytes("a", 0x0f, "b"), "a\\017b"),
				name("DLE", bytes("a", 0x10, "b"), "a\\020b"), name("DC1", bytes("a", 0x11, "b"), "a\\021b"),
				name("DC2", bytes("a", 0x12, "b"), "a\\022b"), name("DC3", bytes("a", 0x13, "b"), "a\\023b"),
				name("DC4", bytes("a", 0x14, "b"), "a\\024b"), name("NAK", bytes("a", 0x15, "b"), "a\\025b"),
				name("SYN", bytes("a", 0x16, "b"), "a\\026b"), name("ETB", bytes("a", 0x17, "b"), "a\\027b"),
				name("CAN", bytes("a", 0x18, "b"), "a\\030b"), name("EM", bytes("a", 0x19, "b"), "a\\031b"),
				name("SUB", bytes("a", 0x1a, "b"), "a\\032b"), name("ESC", bytes("a", 0x1b, "b"), "a\\033b"),
				name("FS", bytes("a", 0x1c, "b"), "a\\034b"), name("GS", bytes("a", 0x1d, "b"), "a\\035b"),
				name("RS", bytes("a", 0x1e, "b"), "a\\036b"), name("US", bytes("a", 0x1f, "b"), "a\\037b"),
				name("DEL", bytes("a", 0x7f, "b"), "a\\177b"),
				// escape sequences and line tricks
				name("SGR red", bytes(0x1b, "[31mred", 0x1b, "[0m"), "\\033[31mred\\033[0m"),
				name("OSC window title", bytes(0x1b, "]0;title", 0x07), "\\033]0;title\\a"),
				name("OSC 8 hyperlink", bytes(0x1b, "]8;;http://x", 0x1b, "\\"), "\\033]8;;http://x\\033\\\\"),
				name("CR hides the start", bytes("innocent", 0x0d, "evil"), "innocent\\revil"),
				name("trailing newline", bytes("a", 0x0a), "a\\n"),
				// what ls escapes for the shell: backslash and space, nothing else
				name("space", bytes("a b"), "a\\ b"), name("leading and trailing space", bytes(" a "), "\\ a\\ "),
				name("backslash", bytes("a\\b"), "a\\\\b"),
				name("shell specials", bytes("'\"$*?#~;&|()<>`!={}[],%^:@+-"), "'\"$*?#~;&|()<>`!={}[],%^:@+-"),
				name("leading dash and tilde", bytes("-~#"), "-~#"),
				// not well-formed UTF-8: each offending byte in octal
				name("lone 0xff", bytes("a", 0xff, "b"), "a\\377b"), name("lone 0xfe", bytes(0xfe), "\\376"),
				name("stray continuation", bytes("a", 0x80, "b"), "a\\200b"),
				name("truncated two-byte at end", bytes("a", 0xc3), "a\\303"),
				name("truncated three-byte before ASCII", bytes(0xe6, 0x97, "x"), "\\346\\227x"),
				name("truncated three-byte before valid é", bytes(0xe6, 0x97, 0xc3, 0xa9), "\\346\\227é"),
				name("truncated four-byte", bytes(0xf0, 0x9f, 0x98), "\\360\\237\\230"),
				name("overlong slash", bytes(0xc0, 0xaf), "\\300\\257"),
				name("overlong NUL", bytes(0xc0, 0x80), "\\300\\200"),
				name("overlong three-byte", bytes(0xe0, 0x80, 0xaf), "\\340\\200\\257"),
				name("overlong four-byte", bytes(0xf0, 0x80, 0x80, 0xaf), "\\360\\200\\200\\257"),
				name("encoded high surrogate", bytes(0xed, 0xa0, 0x80), "\\355\\240\\200"),
				name("encoded low surrogate", bytes(0xed, 0xbf, 0xbf), "\\355\\277\\277"),
				name("beyond U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), "\\364\\220\\200\\200"),
				name("five-byte form", bytes(0xf8, 0x88, 0x80, 0x80, 0x80), "\\370\\210\\200\\200\\200"),
				name("Latin-1 name", bytes("caf", 0xe9, ".txt"), "caf\\351.txt"),
				// valid UTF-8 that is not printable
				name("U+2028 line separator", utf8("a\u2028b"), "a\\342\\200\\250b"),
				name("U+2029 paragraph separator", utf8("a\u2029b"), "a\\342\\200\\251b"),
				name("noncharacter U+FFFE", utf8("a\ufffeb"), "a\\357\\277\\276b"),
				name("noncharacter U+FDD0", utf8("\ufdd0"), "\\357\\267\\220"),
				name("noncharacter U+10FFFF", utf8("\udbff\udfff"), "\\364\\217\\277\\277"),
				// valid printable UTF-8 stays as it is
				name("é", utf8("résumé"), "résumé"), name("日本", utf8("日本語.txt"), "日本語.txt"),
				name("emoji", utf8("\ud83d\ude00"), "\ud83d\ude00"),
				name("emoji ZWJ sequence", utf8("\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"),
						"\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"),
				name("no-break space", utf8("a\u00a0b"), "a\u00a0b"),
				name("ideographic space", utf8("a\u3000b"), "a\u3000b"),
				name("zero-width space", utf8("a\u200bb"), "a\u200bb"),
				name("zero-width non-joiner", utf8("a\u200cb"), "a\u200cb"),
				name("byte order mark", utf8("\ufeffa"), "\ufeffa"),
				name("combining acute", utf8("e\u0301"), "e\u0301"), name("private use", utf8("\ue000"), "\ue000"),
				name("the replacement character itself", utf8("\ufffd"), "\ufffd")));
		// C1 controls U+0080..U+009F, which are well-formed UTF-8 (C2 80..C2 9F)
		for (int c1 = 0x80; c1 <= 0x9f; c1++) {
			names.add(name(String.format("C1 U+%04X", c1), bytes("a", 0xc2, c1, "b"),
					"a\\302\\" + Integer.toOctalString(c1) + "b"));
		}
		return names.stream();
	}

	/**
	 * ls keeps these; treesum escapes them (see the class comment of TerminalEscaping).
	 */
	static Stream<Arguments> bidiControls() {
		return Stream.of(name("ALM", utf8("a\u061cb"), "a\\330\\234b"),
				name("LRM", utf8("a\u200eb"), "a\\342\\200\\216b"), name("RLM", utf8("a\u200fb"), "a\\342\\200\\217b"),
				name("LRE", utf8("a\u202ab"), "a\\342\\200\\252b"), name("RLE", utf8("a\u202bb"), "a\\342\\200\\253b"),
				name("PDF", utf8("a\u202cb"), "a\\342\\200\\254b"), name("LRO", utf8("a\u202db"), "a\\342\\200\\255b"),
				name("RLO", utf8("txt.exe\u202egnp"), "txt.exe\\342\\200\\256gnp"),
				name("LRI", utf8("a\u2066b"), "a\\342\\201\\246b"), name("RLI", utf8("a\u2067b"), "a\\342\\201\\247b"),
				name("FSI", utf8("a\u2068b"), "a\\342\\201\\250b"), name("PDI", utf8("a\u2069b"), "a\\342\\201\\251b"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource({ "hostileAndOrdinaryNames", "bidiControls" })
	void showsEachNameEscapedAsSpecified(String description, byte[] name, String expected) {
		assertThat(TerminalEscaping.escape(name)).isEqualTo(expected);
	}

	@Test
	void showsEveryNameExactlyAsLsShowsItInAUtf8Locale(@TempDir Path temp) throws Exception {
		List<byte[]> names = new ArrayList<>();
		hostileAndOrdinaryNames().map((arguments) -> (byte[]) arguments.get()[1])
			.filter((name) -> isPossibleFileName(name))
			.forEach(names::add);
		Map<Integer, byte[]> shownByLs = listWithLs(temp, names);

		for (int i = 0; i < names.size(); i++) {
			byte[] name = names.get(i);
			byte[] ours = TerminalEscaping.escape(name).getBytes(StandardCharsets.UTF_8);
			assertThat(ours)
				.as("name %s: ls shows '%s', treesum '%s'", HexFormat.of().formatHex(name),
						new String(shownByLs.get(i), StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8))
				.isEqualTo(shownByLs.get(i));
		}
		assertThat(names).as("names ls was compared on").hasSizeGreaterThan(90);
	}

	@Test
	void escapesBidiControlsThatLsKeeps(@TempDir Path temp) throws Exception {
		List<byte[]> names = bidiControls().map((arguments) -> (byte[]) arguments.get()[1]).toList();
		Map<Integer, byte[]> shownByLs = listWithLs(temp, names);

		for (int i = 0; i < names.size(); i++) {
			byte[] name = names.get(i);
			assertThat(shownByLs.get(i)).as("ls keeps bidi control %s raw", HexFormat.of().formatHex(name))
				.isEqualTo(name);
			assertThat(TerminalEscaping.escape(name)).isEqualTo(octalOfNonAscii(name));
		}
	}

	@Test
	void anyBytesBecomeControlFreeUtf8ThatReadsBackToTheExactName() throws Exception {
		Random random = new Random(20240607);
		byte[][] pieces = { bytes(0xc2, 0x9b), bytes(0xc2, 0x85), bytes(0xe2, 0x80, 0xae), bytes(0xe2, 0x81, 0xa6),
				bytes(0xe2, 0x80, 0xa8), bytes(0xc3, 0xa9), bytes(0xe6, 0x97, 0xa5), bytes(0xf0, 0x9f, 0x98, 0x80),
				bytes(0xed, 0xa0, 0x80), bytes(0xef, 0xbf, 0xbe), bytes(0x1b, "[31m"), bytes(" "), bytes("\\"),
				bytes("\\033"), bytes("\\ ") };
		for (int n = 0; n < 20_000; n++) {
			ByteArrayOutputStream name = new ByteArrayOutputStream();
			int length = random.nextInt(24);
			for (int i = 0; i < length; i++) {
				switch (random.nextInt(3)) {
					case 0 -> name.write(random.nextInt(256));
					case 1 -> name.writeBytes(pieces[random.nextInt(pieces.length)]);
					default -> name.write(0x20 + random.nextInt(0x5f));
				}
			}
			byte[] bytes = name.toByteArray();

			String shown = TerminalEscaping.escape(bytes);

			byte[] utf8 = strictUtf8(shown, bytes);
			for (int i = 0; i < utf8.length; i++) {
				int b = utf8[i] & 0xff;
				assertThat(b < 0x20 || b == 0x7f).as("control byte in '%s' for %s", shown, hex(bytes)).isFalse();
				assertThat(b == 0xc2 && i + 1 < utf8.length && (utf8[i + 1] & 0xff) <= 0x9f)
					.as("C1 control in '%s' for %s", shown, hex(bytes))
					.isFalse();
			}
			assertThat(shown.codePoints()).as("for %s", hex(bytes))
				.noneMatch((c) -> c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e)
						|| (c >= 0x2066 && c <= 0x2069));
			assertThat(unescape(shown)).as("'%s' reads back to %s", shown, hex(bytes)).isEqualTo(bytes);
		}
	}

	@Test
	void leavesOrdinaryMessagesUntouched() {
		for (String message : List.of("", "Permission denied", "/data/a b/c\\d.txt: No such file or directory",
				"Fichier introuvable : /données/日本語.txt", "quoted 'name' and \"name\" $HOME * ? ~",
				"\ud83d\ude00 done\u00a0100%")) {
			assertThat(TerminalEscaping.escape(message)).isSameAs(message);
		}
	}

	@Test
	void escapesControlsInMessagesButKeepsSpacesAndBackslashes() {
		assertThat(TerminalEscaping.escape("cannot read /tmp/\u001b[31mred\u001b[0m: Permission denied"))
			.isEqualTo("cannot read /tmp/\\033[31mred\\033[0m: Permission denied");
		assertThat(TerminalEscaping.escape("/x/\u001b]0;owned\u0007 vanished"))
			.isEqualTo("/x/\\033]0;owned\\a vanished");
		assertThat(TerminalEscaping.escape("line one\nline two\r\tend\u007f"))
			.isEqualTo("line one\\nline two\\r\\tend\\177");
		assertThat(TerminalEscaping.escape("csi \u009b31m, nel \u0085")).isEqualTo("csi \\302\\23331m, nel \\302\\205");
		assertThat(TerminalEscaping.escape("bidi txt.exe\u202egnp \u2066x\u2069"))
			.isEqualTo("bidi txt.exe\\342\\200\\256gnp \\342\\201\\246x\\342\\201\\251");
		assertThat(TerminalEscaping.escape("a\u2028b")).isEqualTo("a\\342\\200\\250b");
		assertThat(TerminalEscaping.escape("C:\\dir with spaces\\é")).isEqualTo("C:\\dir with spaces\\é");
	}

	@Test
	void showsLoneSurrogatesInTextAsAnEncodedSurrogateInANameIsShown() {
		assertThat(TerminalEscaping.escape("a\ud800b")).isEqualTo("a\\355\\240\\200b")
			.isEqualTo(TerminalEscaping.escape(bytes("a", 0xed, 0xa0, 0x80, "b")));
		assertThat(TerminalEscaping.escape("a\udc00")).isEqualTo("a\\355\\260\\200");
		assertThat(TerminalEscaping.escape("\udfff\ud83d")).isEqualTo("\\355\\277\\277\\355\\240\\275");
	}

	@Test
	void textAndBytesAreEscapedAlikeSaveForSpacesAndBackslashes() {
		Random random = new Random(7);
		for (int n = 0; n < 5_000; n++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(12);
			for (int i = 0; i < length; i++) {
				int codePoint = switch (random.nextInt(4)) {
					case 0 -> random.nextInt(0x80);
					case 1 -> random.nextInt(0x800);
					case 2 -> random.nextInt(0x10000);
					default -> random.nextInt(0x110000);
				};
				if (codePoint != ' ' && codePoint != '\\' && (codePoint < 0xd800 || codePoint > 0xdfff)) {
					text.appendCodePoint(codePoint);
				}
			}
			String name = text.toString();
			assertThat(TerminalEscaping.escape(name)).as("for %s", hex(utf8(name)))
				.isEqualTo(TerminalEscaping.escape(utf8(name)));
		}
	}

	private static Arguments name(String description, byte[] name, String expected) {
		return Arguments.of(description, name, expected);
	}

	/** Bytes from a mix of ASCII strings and single byte values. */
	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof String text) {
				out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
			}
			else {
				out.write((Integer) part);
			}
		}
		return out.toByteArray();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	private static boolean isPossibleFileName(byte[] name) {
		for (byte b : name) {
			if (b == 0 || b == '/') {
				return false;
			}
		}
		return true;
	}

	private static String octalOfNonAscii(byte[] name) {
		StringBuilder octal = new StringBuilder();
		for (byte b : name) {
			octal.append((b < 0) ? String.format("\\%03o", b & 0xff) : String.valueOf((char) b));
		}
		return octal.toString();
	}

	/** Encodes strictly: a lone surrogate would not be valid UTF-8. */
	private static byte[] strictUtf8(String shown, byte[] name) {
		try {
			var buffer = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(shown));
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			return fail("'%s' for %s is not valid UTF-8", shown, hex(name));
		}
	}

	/** Reads escape-style output back to bytes, independently of the code under test. */
	private static byte[] unescape(String shown) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int i = 0;
		while (i < shown.length()) {
			char c = shown.charAt(i);
			if (c != '\\') {
				int codePoint = shown.codePointAt(i);
				out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(codePoint);
				continue;
			}
			char next = shown.charAt(i + 1);
			String simple = "abtnvfr\\ ";
			String meaning = "\u0007\b\t\n\u000b\f\r\\ ";
			if (simple.indexOf(next) >= 0) {
				out.write(meaning.charAt(simple.indexOf(next)));
				i += 2;
			}
			else {
				out.write(Integer.parseInt(shown.substring(i + 1, i + 4), 8));
				i += 4;
			}
		}
		return out.toByteArray();
	}

	/**
	 * Create each name as a file in a numbered directory of its own and list them all
	 * with one run of GNU ls in a UTF-8 locale.
	 * @return the line ls printed for each name, by its index
	 */
	private static Map<Integer, byte[]> listWithLs(Path temp, List<byte[]> names)
			throws IOException, InterruptedException {
		assumeTrue(output("ls", "--version").startsWith("ls (GNU coreutils)"), "needs GNU ls");
		String locale = utf8Locale();
		assumeTrue(locale != null, "needs a UTF-8 locale (C.UTF-8 or en_US.UTF-8) in 'locale -a'");
		List<String> command = new ArrayList<>(List.of("ls", "-A", "-1", "--color=never", "--quoting-style=escape"));
		for (int i = 0; i < names.size(); i++) {
			String directory = String.format("d%03d", i);
			TestTrees.file(Files.createDirectory(temp.resolve(directory)), names.get(i), "");
			command.add(directory);
		}
		ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
		builder.environment().keySet().removeIf((key) -> key.startsWith("LC_") || key.equals("QUOTING_STYLE"));
		builder.environment().put("LC_ALL", locale);
		Process ls = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
		byte[] listing = ls.getInputStream().readAllBytes();
		assertThat(ls.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(ls.exitValue()).isZero();

		Map<Integer, byte[]> shown = new HashMap<>();
		Integer current = null;
		for (byte[] line : lines(listing)) {
			String text = new String(line, StandardCharsets.ISO_8859_1);
			if (text.matches("d\\d{3}:")) {
				current = Integer.valueOf(text.substring(1, 4));
			}
			else if (!text.isEmpty()) {
				assertThat(shown.put(current, line)).as("one entry in directory %s", current).isNull();
			}
		}
		assertThat(shown).hasSize(names.size());
		return shown;
	}

	private static List<byte[]> lines(byte[] bytes) {
		List<byte[]> lines = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				lines.add(Arrays.copyOfRange(bytes, start, i));
				start = i + 1;
			}
		}
		return lines;
	}

	private static String utf8Locale() throws IOException, InterruptedException {
		List<String> available = output("locale", "-a").lines().toList();
		return Stream.of("c.utf-8", "c.utf8", "en_us.utf-8", "en_us.utf8")
			.flatMap((wanted) -> available.stream().filter((locale) -> locale.toLowerCase(Locale.ROOT).equals(wanted)))
			.findFirst()
			.orElse(null);
	}

	/** A command's standard output, or "" when it cannot run. */
	private static String output(String... command) throws InterruptedException {
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) ? output : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

}
