package dev.treesum.report;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * JSON literals for report values: strings escaped as RFC 8259 asks, numbers as they are.
 */
final class Json {

	private Json() {
	}

	static String value(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Duration duration) {
			return seconds(duration);
		}
		return string(value.toString());
	}

	/**
	 * Return a duration as machines take it: seconds, to the millisecond.
	 */
	static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
	}

	static String string(String text) {
		StringBuilder json = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

}
