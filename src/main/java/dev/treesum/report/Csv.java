package dev.treesum.report;

/**
 * RFC 4180 rows: a field with a comma, a quote, a carriage return or a newline is quoted,
 * its quotes doubled.
 */
final class Csv {

	private Csv() {
	}

	static String row(String... fields) {
		StringBuilder row = new StringBuilder();
		for (int i = 0; i < fields.length; i++) {
			if (i > 0) {
				row.append(',');
			}
			row.append(field(fields[i]));
		}
		return row.append('\n').toString();
	}

	static String field(String value) {
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
			return value;
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
