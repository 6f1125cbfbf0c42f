package dev.treesum.report;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSV fields are quoted when, and only when, they hold a comma, a quote, a carriage
 * return or a newline, and a row reads back as its fields in Python's {@code csv} module,
 * an independent RFC 4180 reader.
 */
class CsvTests {

	@Test
	void leavesPlainFieldsAlone() {
		assertThat(Csv.field("plain")).isEqualTo("plain");
		assertThat(Csv.field("")).isEqualTo("");
		assertThat(Csv.field("with space;semicolon\ttab 'single'")).isEqualTo("with space;semicolon\ttab 'single'");
		assertThat(Csv.field("r\u00e9sum\u00e9 caf\\xe9")).isEqualTo("r\u00e9sum\u00e9 caf\\xe9");
	}

	@Test
	void quotesFieldsWithACommaAQuoteOrALineBreak() {
		assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
		assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
		assertThat(Csv.field("new\nline")).isEqualTo("\"new\nline\"");
		assertThat(Csv.field("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
		assertThat(Csv.field("\"")).isEqualTo("\"\"\"\"");
	}

	@Test
	void aRowIsItsFieldsJoinedByCommasAndEndsWithANewline() {
		assertThat(Csv.row("a", "b,c", "")).isEqualTo("a,\"b,c\",\n");
		assertThat(Csv.row("only")).isEqualTo("only\n");
	}

	@Test
	void rowsReadBackAsTheirFieldsInAnIndependentReader() throws Exception {
		List<String> fields = List.of("/data/plain", "/data/a,b", "/data/say \"hi\"", "/data/new\nline",
				"/data/carriage\rreturn", "", "r\u00e9sum\u00e9", "\"\"", ",", "trailing space ");

		List<String> read = python(
				"import csv, sys\n"
						+ "for row in csv.reader(sys.stdin.buffer.read().decode('utf-8').splitlines(keepends=True)):\n"
						+ "    for field in row:\n" + "        print(field.encode('utf-8').hex())\n",
				Csv.row(fields.toArray(String[]::new)));

		assertThat(read).containsExactlyElementsOf(fields);
	}

	private static List<String> python(String script, String input) throws Exception {
		Process process = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
		process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output.lines().map((hex) -> new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8)).toList();
	}

}
