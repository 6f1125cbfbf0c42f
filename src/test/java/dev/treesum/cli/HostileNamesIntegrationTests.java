package dev.treesum.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.treesum.TestTrees;
import dev.treesum.TreesumProcess;
import dev.treesum.TreesumSpringTest;
import dev.treesum.walk.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names that attack the terminal (every C0 control, DEL, every C1 control, escape
 * sequences, carriage returns, bidi overrides, bytes that are not UTF-8) never reach a
 * person raw: not in the scan's log lines (plain or JSON), {@code status}, any report as
 * a table, or a one-line error; while CSV, JSON and the sums keep the names exactly.
 */
@TreesumSpringTest
class HostileNamesIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@TempDir
	private Path temp;

	@Test
	void namesReachPeopleEscapedAndMachinesExact() throws Exception {
		// The root is hostile too, so that the partition's log lines carry it; ASCII
		// controls only, which an argument passes in any locale.
		Path root = this.temp.resolve("root-\033[35m-\r-\t-\007");
		Files.createDirectories(root);
		List<byte[]> names = hostileNames();
		create(root, names, "same content");
		Path locked = root.resolve("locked\033]0;pwned\007");
		Files.createDirectories(locked);
		create(locked, List.of(bytes("hidden\033[8m")), "hidden");
		create(root, List.of(bytes("unreadable\033[2J\r")), "secret");
		Path unreadable = entries(root).stream()
			.filter((path) -> path.getFileName().toString().startsWith("unreadable"))
			.findFirst()
			.orElseThrow();
		Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
		Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
		Set<String> readable = new HashSet<>();
		for (byte[] name : names) {
			readable.add(PathBytes.text(concat(PathBytes.of(root), bytes("/"), name)));
		}

		TreesumProcess plain = TreesumProcess.against("scan", root.toString()).env("LANG", "C.UTF-8");
		if (TestTrees.sh("id -u").strip().equals("0")) {
			// root reads anything: drop the two capabilities, so there are errors to
			// report
			plain.through("setpriv", "--bounding-set=-dac_override,-dac_read_search",
					"--inh-caps=-dac_override,-dac_read_search");
		}
		TreesumProcess.Result first = plain.run();
		Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
		Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rw-------"));
		assertThat(first.exitCode()).as(first.toString()).isZero();
		assertThat(first.stderr()).contains("partition-0 ").contains(": started").contains(": completed");
		assertHumane("plain scan log", first.stderr().getBytes(StandardCharsets.UTF_8));
		assertHumane("scan result", first.stdout());
		long base = Long.parseLong(first.out().replaceAll("(?s).*scan (\\d+) completed.*", "$1"));

		// A second scan, with a hostile name added and one deleted: for 'report changes'.
		create(root, List.of(bytes("added\033[7m\u009b31m\r")), "same content");
		Files.delete(entries(root).stream()
			.filter((path) -> path.getFileName().toString().startsWith("cr"))
			.findFirst()
			.orElseThrow());
		TreesumProcess.Result second = TreesumProcess.against("scan", "--new", root.toString())
			.env("LANG", "C.UTF-8")
			.env("SPRING_PROFILES_ACTIVE", "json-logs")
			.run();
		assertThat(second.exitCode()).as(second.toString()).isZero();
		assertHumane("JSON scan log", second.stderr().getBytes(StandardCharsets.UTF_8));
		ObjectMapper json = new ObjectMapper();
		List<String> events = second.stderr().lines().toList();
		assertThat(events)
			.anyMatch((line) -> line.contains(": started") && line.contains("root-\\\\033[35m-\\\\r-\\\\t-\\\\a"));
		for (String event : events) {
			String message = json.readTree(event).path("message").asText();
			assertThat(message).as(event).doesNotContain("\033", "\r", "\t", "\u0007");
			assertHumane("JSON message", message.getBytes(StandardCharsets.UTF_8));
		}
		long scan = Long.parseLong(second.out().replaceAll("(?s).*scan (\\d+) completed.*", "$1"));

		TreesumCli cli = new TreesumCli(this.context);
		List<String[]> human = List.of(new String[] { "status" }, new String[] { "status", Long.toString(scan) },
				new String[] { "report", "summary", "--scan", Long.toString(scan) },
				new String[] { "report", "changes", "--scan", Long.toString(scan), "--base", Long.toString(base) },
				new String[] { "report", "duplicates", "--scan", Long.toString(scan) },
				new String[] { "report", "errors", "--scan", Long.toString(base) });
		for (String[] command : human) {
			TreesumCli.Run run = cli.run(command);
			assertThat(run.exitCode()).as(run.toString()).isZero();
			assertHumane(String.join(" ", command), run.bytes());
		}
		String duplicates = cli.run("report", "duplicates", "--scan", Long.toString(scan)).out();
		assertThat(duplicates).as("escaped as ls does").contains("\\033[31mred", "\\302\\233", "\\r", "\\t", "\\a");
		String errors = cli.run("report", "errors", "--scan", Long.toString(base)).out();
		assertThat(errors).contains("unreadable\\033[2J\\r", "locked\\033]0;pwned\\a");
		String changes = cli.run("report", "changes", "--scan", Long.toString(scan), "--base", Long.toString(base))
			.out();
		// the same content under a new name: a move
		assertThat(changes).contains("moved", "added\\033[7m\\302\\23331m\\r", "/cr\\rhidden");

		TreesumCli.Run error = cli.run("scan", root.resolve("gone\033]0;x\007\r").toString());
		assertThat(error.exitCode()).isEqualTo(2);
		assertThat(error.err().lines()).hasSize(1);
		assertThat(error.err()).startsWith("treesum: root does not exist: ").contains("gone\\033]0;x\\a\\r");
		assertHumane("one-line error", error.err().getBytes(StandardCharsets.UTF_8));

		// Machines get the exact names: the sums, as bytes; CSV and JSON as their text.
		Set<String> added = new HashSet<>(readable);
		added.removeIf((path) -> path.contains("/cr\r"));
		added.add(PathBytes.text(concat(PathBytes.of(root), bytes("/"), bytes("added\033[7m\u009b31m\r"))));
		byte[] sums = cli.run("export", "--scan", Long.toString(base)).bytes();
		Set<String> exported = unescapedSumsPaths(sums).stream().map(PathBytes::text).collect(Collectors.toSet());
		assertThat(exported).isEqualTo(readable);
		List<String> csv = csvPaths(cli.run("report", "duplicates", "--scan", Long.toString(scan), "--format", "csv"));
		assertThat(new HashSet<>(csv)).isEqualTo(added);
		Set<String> fromJson = new HashSet<>();
		for (JsonNode row : json
			.readTree(cli.run("report", "duplicates", "--scan", Long.toString(scan), "--format", "json").bytes())) {
			fromJson.add(row.path("path").asText());
		}
		assertThat(fromJson).isEqualTo(added);
	}

	/**
	 * Every C0 control but NUL, DEL, every C1 control (as UTF-8), escape sequences, a
	 * carriage return, bidi overrides and bytes that are not UTF-8.
	 */
	private static List<byte[]> hostileNames() {
		List<byte[]> names = new ArrayList<>();
		for (int c = 1; c < 0x20; c++) {
			names.add(concat(bytes("c0-" + c + "-"), new byte[] { (byte) c }, bytes("-end")));
		}
		names.add(bytes("del-\u007f-end"));
		for (int c = 0x80; c < 0xa0; c++) {
			names.add(concat(bytes("c1-" + c + "-"), new byte[] { (byte) 0xc2, (byte) c }, bytes("-end")));
		}
		names.add(bytes("\033[31mred\033[0m"));
		names.add(bytes("title\033]0;pwned\007"));
		names.add(bytes("clear\033[2J\033[H"));
		names.add(bytes("dcs\033P1$r\033\\"));
		names.add(bytes("cr\rhidden"));
		names.add(bytes("ends-in-cr\r"));
		names.add(bytes("bidi-\u202egnp.exe"));
		names.add(new byte[] { 'b', 'a', 'd', (byte) 0xff, (byte) 0xfe });
		names.add(new byte[] { 'o', 'v', 'e', 'r', 'l', 'o', 'n', 'g', (byte) 0xc0, (byte) 0xaf });
		names.add(new byte[] { 'c', 'u', 't', (byte) 0xe2, (byte) 0x82 });
		names.add(new byte[] { 'c', '1', '-', 'l', 'a', 't', 'i', 'n', '1', (byte) 0x9b, '3', '1', 'm' });
		return names;
	}

	/**
	 * Assert that output meant for a person holds no raw control character (line ends
	 * aside), no DEL, no C1 control, no bidi control and nothing that is not UTF-8.
	 */
	private static void assertHumane(String what, byte[] output) throws CharacterCodingException {
		for (int i = 0; i < output.length; i++) {
			int b = output[i] & 0xff;
			assertThat(b < 0x20 && b != '\n' || b == 0x7f)
				.as("%s: raw byte 0x%02x at %d in:%n%s", what, b, i, new String(output, StandardCharsets.UTF_8))
				.isFalse();
		}
		String text = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(output))
			.toString();
		text.codePoints().forEach((c) -> {
			boolean c1 = c >= 0x80 && c < 0xa0;
			boolean bidi = c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
					|| (c >= 0x2066 && c <= 0x2069);
			assertThat(c1 || bidi || c == 0x2028 || c == 0x2029).as("%s: U+%04X in:%n%s", what, c, text).isFalse();
		});
	}

	/**
	 * Read the paths back from sums lines as {@code sha256sum -c} does: a line that
	 * starts with a backslash has its name's {@code \\}, {@code \n} and {@code \r}
	 * escaped.
	 */
	private static List<byte[]> unescapedSumsPaths(byte[] sums) {
		List<byte[]> paths = new ArrayList<>();
		int start = 0;
		while (start < sums.length) {
			int end = start;
			while (sums[end] != '\n') {
				end++;
			}
			boolean escaped = sums[start] == '\\';
			int name = start + (escaped ? 1 : 0) + 64 + 2;
			ByteArrayOutputStream path = new ByteArrayOutputStream();
			for (int i = name; i < end; i++) {
				if (escaped && sums[i] == '\\') {
					i++;
					path.write((sums[i] == 'n') ? '\n' : (sums[i] == 'r') ? '\r' : sums[i]);
				}
				else {
					path.write(sums[i]);
				}
			}
			paths.add(path.toByteArray());
			start = end + 1;
		}
		return paths;
	}

	/**
	 * Read the path column of {@code report duplicates} CSV as RFC 4180 says: quoted
	 * fields may hold commas, quotes (doubled), carriage returns and newlines.
	 */
	private static List<String> csvPaths(TreesumCli.Run run) {
		String text = run.out();
		List<String> paths = new ArrayList<>();
		List<String> row = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted && c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
				field.append('"');
				i++;
			}
			else if (c == '"') {
				quoted = !quoted;
			}
			else if (!quoted && (c == ',' || c == '\n')) {
				row.add(field.toString());
				field.setLength(0);
				if (c == '\n') {
					paths.add(row.get(3));
					row = new ArrayList<>();
				}
			}
			else {
				field.append(c);
			}
		}
		return paths.subList(1, paths.size());
	}

	private static void create(Path directory, List<byte[]> names, String content) throws Exception {
		for (byte[] name : names) {
			TestTrees.file(directory, name, content);
		}
	}

	private static List<Path> entries(Path directory) throws Exception {
		List<Path> entries = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			stream.forEach(entries::add);
		}
		return entries;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
