package dev.treesum.walk;

import java.nio.charset.StandardCharsets;

/**
 * The one way a file name, or text that may hold one, reaches a person's terminal.
 * treesum prints names it did not choose, and a hostile one can recolour the screen
 * ({@code ESC [31m}), retitle the window ({@code ESC ]0;title BEL}), hide what came
 * before it ({@code CR}), act through a C1 control such as U+009B CSI, or reorder a line
 * with bidi controls; every table, status line, log line and one-line error therefore
 * goes through here, while CSV, JSON and the sums formats keep exact bytes.
 * <p>
 * The rules are those of GNU {@code ls --quoting-style=escape} in a UTF-8 locale
 * (treesum's output is UTF-8 text), whatever the JVM's locale:
 * <table>
 * <caption>What is shown how</caption>
 * <tr>
 * <th>input</th>
 * <th>shown as</th>
 * </tr>
 * <tr>
 * <td>BEL BS HT LF VT FF CR</td>
 * <td>{@code \a \b \t \n \v \f \r}</td>
 * </tr>
 * <tr>
 * <td>other C0 controls, DEL</td>
 * <td>{@code \ooo}, e.g. ESC {@code \033}, DEL {@code \177}</td>
 * </tr>
 * <tr>
 * <td>C1 controls U+0080&ndash;U+009F, U+2028, U+2029, unassigned code points and
 * noncharacters</td>
 * <td>{@code \ooo} per UTF-8 byte, e.g. U+009B {@code \302\233}</td>
 * </tr>
 * <tr>
 * <td>bytes that are not well-formed UTF-8 (stray, truncated, overlong, surrogate, beyond
 * U+10FFFF)</td>
 * <td>{@code \ooo} per byte, e.g. {@code \377}</td>
 * </tr>
 * <tr>
 * <td>bidi controls U+061C, U+200E, U+200F, U+202A&ndash;U+202E, U+2066&ndash;U+2069</td>
 * <td>{@code \ooo} per UTF-8 byte (ls keeps them)</td>
 * </tr>
 * <tr>
 * <td>backslash, space</td>
 * <td>{@code \\} and {@code \ } in names only</td>
 * </tr>
 * <tr>
 * <td>everything else: printable ASCII, printable Unicode (é, 日本, emoji, zero-width
 * joiners, private use)</td>
 * <td>itself</td>
 * </tr>
 * </table>
 * Printable means what glibc's {@code iswprint} says in {@code C.UTF-8}: assigned, and
 * neither a control nor a line or paragraph separator, judged by the JVM's Unicode
 * tables, so a code point newer than those is escaped even where ls keeps it. The one
 * deliberate deviation from ls is the bidi controls (the Bidi_Control property), which ls
 * keeps although a terminal that implements bidi lets them reverse the order in which a
 * name, or the rest of a table row, is displayed ("Trojan Source"). Zero-width and other
 * format characters stay, as in ls: joiners belong to real names (emoji sequences,
 * Persian), and they move nothing.
 */
public final class TerminalEscaping {

	private static final char[] OCTAL_DIGITS = { '0', '1', '2', '3', '4', '5', '6', '7' };

	private TerminalEscaping() {
	}

	/**
	 * Show a file name's raw bytes (anything but NUL, possibly not UTF-8) exactly as
	 * {@code ls --quoting-style=escape} in a UTF-8 locale does, save for bidi controls.
	 * Backslashes and spaces are escaped too, as ls does, so the result is unambiguous
	 * (the exact bytes can be read back from it) and a name with spaces stays one word in
	 * a table.
	 * @param name the bytes of a name or path
	 * @return text without controls or escape sequences
	 */
	public static String escape(byte[] name) {
		int length = name.length;
		int plain = 0;
		while (plain < length && isPlainNameByte(name[plain])) {
			plain++;
		}
		if (plain == length) {
			return new String(name, StandardCharsets.ISO_8859_1);
		}
		StringBuilder out = new StringBuilder(length + 16);
		out.append(new String(name, 0, plain, StandardCharsets.ISO_8859_1));
		int i = plain;
		while (i < length) {
			int b = name[i] & 0xff;
			if (b < 0x80) {
				if (b == ' ' || b == '\\') {
					out.append('\\').append((char) b);
				}
				else {
					append(out, b);
				}
				i++;
				continue;
			}
			int sequence = wellFormedSequenceLength(name, i);
			if (sequence == 0) {
				appendOctal(out, b);
				i++;
			}
			else {
				append(out, decode(name, i, sequence));
				i += sequence;
			}
		}
		return out.toString();
	}

	/**
	 * Make free text that may hold names (an exception message, a path already decoded)
	 * safe for a terminal: the same characters as in {@link #escape(byte[])} are escaped
	 * the same way, and a lone surrogate shows as the octal of its three-byte encoding,
	 * as an encoded surrogate in a name does. Spaces and backslashes are left alone so
	 * that "Permission denied" stays readable; the result is safe but not reversible.
	 * @param text any text
	 * @return {@code text} itself when nothing in it needs escaping
	 */
	public static String escape(String text) {
		int length = text.length();
		int plain = 0;
		while (plain < length) {
			char c = text.charAt(plain);
			if (c >= 0x20 && c < 0x7f) {
				plain++;
				continue;
			}
			int codePoint = text.codePointAt(plain);
			if (!isShown(codePoint)) {
				break;
			}
			plain += Character.charCount(codePoint);
		}
		if (plain == length) {
			return text;
		}
		StringBuilder out = new StringBuilder(length + 16).append(text, 0, plain);
		int i = plain;
		while (i < length) {
			int codePoint = text.codePointAt(i);
			append(out, codePoint);
			i += Character.charCount(codePoint);
		}
		return out.toString();
	}

	private static boolean isPlainNameByte(byte b) {
		return b > 0x20 && b < 0x7f && b != '\\';
	}

	/**
	 * Whether a code point goes to the terminal as itself; the rule both variants share.
	 */
	private static boolean isShown(int codePoint) {
		if (codePoint < 0xa0) {
			return codePoint >= 0x20 && codePoint < 0x7f;
		}
		if (isBidiControl(codePoint)) {
			return false;
		}
		return switch (Character.getType(codePoint)) {
			case Character.UNASSIGNED, Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR,
					Character.PARAGRAPH_SEPARATOR ->
				false;
			default -> true;
		};
	}

	private static boolean isBidiControl(int codePoint) {
		return codePoint == 0x061c || codePoint == 0x200e || codePoint == 0x200f
				|| (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069);
	}

	private static void append(StringBuilder out, int codePoint) {
		if (isShown(codePoint)) {
			out.appendCodePoint(codePoint);
			return;
		}
		switch (codePoint) {
			case 0x07 -> out.append("\\a");
			case 0x08 -> out.append("\\b");
			case 0x09 -> out.append("\\t");
			case 0x0a -> out.append("\\n");
			case 0x0b -> out.append("\\v");
			case 0x0c -> out.append("\\f");
			case 0x0d -> out.append("\\r");
			default -> appendOctalUtf8(out, codePoint);
		}
	}

	/** The octal of each byte of the code point's UTF-8 encoding, surrogates included. */
	private static void appendOctalUtf8(StringBuilder out, int codePoint) {
		if (codePoint < 0x80) {
			appendOctal(out, codePoint);
		}
		else if (codePoint < 0x800) {
			appendOctal(out, 0xc0 | (codePoint >> 6));
			appendOctal(out, 0x80 | (codePoint & 0x3f));
		}
		else if (codePoint < 0x10000) {
			appendOctal(out, 0xe0 | (codePoint >> 12));
			appendOctal(out, 0x80 | ((codePoint >> 6) & 0x3f));
			appendOctal(out, 0x80 | (codePoint & 0x3f));
		}
		else {
			appendOctal(out, 0xf0 | (codePoint >> 18));
			appendOctal(out, 0x80 | ((codePoint >> 12) & 0x3f));
			appendOctal(out, 0x80 | ((codePoint >> 6) & 0x3f));
			appendOctal(out, 0x80 | (codePoint & 0x3f));
		}
	}

	private static void appendOctal(StringBuilder out, int b) {
		out.append('\\').append(OCTAL_DIGITS[b >> 6]).append(OCTAL_DIGITS[(b >> 3) & 7]).append(OCTAL_DIGITS[b & 7]);
	}

	/**
	 * The length of the well-formed UTF-8 sequence at {@code start} (Unicode table 3-7:
	 * no overlong forms, surrogates or code points beyond U+10FFFF), or 0. Like glibc's
	 * decoder, whatever is not well formed is then shown one byte at a time.
	 */
	private static int wellFormedSequenceLength(byte[] bytes, int start) {
		int lead = bytes[start] & 0xff;
		int length;
		int secondMin = 0x80;
		int secondMax = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) {
			length = 2;
		}
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			if (lead == 0xe0) {
				secondMin = 0xa0;
			}
			else if (lead == 0xed) {
				secondMax = 0x9f;
			}
		}
		else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			if (lead == 0xf0) {
				secondMin = 0x90;
			}
			else if (lead == 0xf4) {
				secondMax = 0x8f;
			}
		}
		else {
			return 0;
		}
		if (start + length > bytes.length) {
			return 0;
		}
		int second = bytes[start + 1] & 0xff;
		if (second < secondMin || second > secondMax) {
			return 0;
		}
		for (int i = start + 2; i < start + length; i++) {
			if ((bytes[i] & 0xc0) != 0x80) {
				return 0;
			}
		}
		return length;
	}

	private static int decode(byte[] bytes, int start, int length) {
		int codePoint = bytes[start] & (0xff >> (length + 1));
		for (int i = start + 1; i < start + length; i++) {
			codePoint = (codePoint << 6) | (bytes[i] & 0x3f);
		}
		return codePoint;
	}

}
