package dev.treesum.walk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.treesum.TestTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File names are bytes: those of a name that is not UTF-8 come back exactly and still
 * open the file, two such names never merge, and the readable text form leaves UTF-8
 * alone while escaping every invalid byte; raw bytes make the path of that very file.
 */
class PathBytesTests {

	@TempDir
	private Path temp;

	@Test
	void theRawBytesOfANameThatIsNotUtf8RoundTrip() throws Exception {
		byte[] name = latin1("r\u00e9sum\u00e9.txt");
		TestTrees.file(this.temp, name, "latin-1");

		Path listed = onlyEntry(this.temp);

		assertThat(PathBytes.of(listed)).isEqualTo(concat(PathBytes.of(this.temp), new byte[] { '/' }, name));
		assertThat(Files.readString(listed)).as("the path still opens the file").isEqualTo("latin-1");
		assertThat(PathBytes.of(listed)).as("a copy the caller owns").isNotSameAs(PathBytes.of(listed));
	}

	@Test
	void aPathMadeOfRawBytesNamesExactlyThatFile() throws Exception {
		byte[] name = latin1("caf\u00e9 \\ \t");
		TestTrees.file(this.temp, name, "made of bytes");
		byte[] bytes = concat(PathBytes.of(this.temp), new byte[] { '/' }, name);

		Path path = PathBytes.path(bytes);

		assertThat(PathBytes.of(path)).isEqualTo(bytes);
		assertThat(path).isEqualTo(onlyEntry(this.temp));
		assertThat(Files.readString(path)).isEqualTo("made of bytes");
		assertThat(path.getParent()).isEqualTo(this.temp);
	}

	@Test
	void twoDifferentInvalidNamesStayDifferent() throws Exception {
		// Both decode to the same replacement character in a lossy charset.
		TestTrees.file(this.temp, latin1("caf\u00e9"), "e9");
		TestTrees.file(this.temp, latin1("caf\u00e8"), "e8");

		List<Path> listed = entries(this.temp);

		assertThat(listed).hasSize(2);
		assertThat(PathBytes.of(listed.get(0))).isNotEqualTo(PathBytes.of(listed.get(1)));
		assertThat(listed).extracting(Files::readString).containsExactlyInAnyOrder("e9", "e8");
		assertThat(listed).extracting((path) -> PathBytes.text(PathBytes.of(path.getFileName())))
			.containsExactlyInAnyOrder("caf\\xe9", "caf\\xe8");
	}

	@Test
	void textLeavesUtf8AsItIs() {
		for (String name : List.of("plain.txt", "r\u00e9sum\u00e9.txt", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00",
				"back\\slash", "new\nline", "")) {
			assertThat(PathBytes.text(name.getBytes(StandardCharsets.UTF_8))).isEqualTo(name);
			assertThat(isUtf8(name.getBytes(StandardCharsets.UTF_8))).isTrue();
		}
	}

	@Test
	void textEscapesEveryInvalidByteAsHex() {
		assertThat(PathBytes.text(latin1("caf\u00e9"))).isEqualTo("caf\\xe9");
		assertThat(PathBytes.text(new byte[] { (byte) 0xff, (byte) 0xfe, 'o', 'k' })).isEqualTo("\\xff\\xfeok");
		// A sequence cut short at the end, an overlong slash, a lone continuation byte
		// between valid characters.
		assertThat(PathBytes.text(new byte[] { 'a', (byte) 0xc3 })).isEqualTo("a\\xc3");
		assertThat(PathBytes.text(new byte[] { (byte) 0xc0, (byte) 0xaf })).isEqualTo("\\xc0\\xaf");
		assertThat(PathBytes.text(concat("\u00e9".getBytes(StandardCharsets.UTF_8), new byte[] { (byte) 0x80 },
				"\u00e9".getBytes(StandardCharsets.UTF_8))))
			.isEqualTo("\u00e9\\x80\u00e9");
		assertThat(isUtf8(latin1("caf\u00e9"))).isFalse();
	}

	@Test
	void namesWhoseTextFormsCoincideDifferAsBytes() {
		// The text form is for reading; the bytes are the identity.
		byte[] escapedByHand = "caf\\xe9".getBytes(StandardCharsets.US_ASCII);
		byte[] latin1 = latin1("caf\u00e9");

		assertThat(PathBytes.text(escapedByHand)).isEqualTo(PathBytes.text(latin1));
		assertThat(escapedByHand).isNotEqualTo(latin1);
	}

	private static Path onlyEntry(Path directory) throws Exception {
		List<Path> entries = entries(directory);
		assertThat(entries).hasSize(1);
		return entries.get(0);
	}

	private static List<Path> entries(Path directory) throws Exception {
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			stream.forEach(entries::add);
		}
		return entries;
	}

	private static boolean isUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int offset = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, offset, part.length);
			offset += part.length;
		}
		return all;
	}

}
