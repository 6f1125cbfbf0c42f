package dev.treesum.cli;

import dev.treesum.walk.TerminalEscaping;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.json.JsonWriter.MemberPath;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Escapes the text of JSON log lines as the plain ones are escaped. JSON escaping alone
 * leaves C1 controls and bidi controls raw, and whoever reads the decoded message (a log
 * viewer, {@code jq -r}) would get every control of a hostile name back; so the message
 * itself is the escaped text, and a stack trace is escaped line by line.
 */
public class EscapingJsonLogsCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

	@Override
	public void customize(JsonWriter.Members<Object> members) {
		members.applyingValueProcessor(EscapingJsonLogsCustomizer::escape);
	}

	private static Object escape(MemberPath path, Object value) {
		if (!(value instanceof CharSequence text)) {
			return value;
		}
		String name = (path != null && path.name() != null) ? path.name() : "";
		return (name.contains("stack_trace") || name.equals("full_message")) ? TerminalText.lines(text.toString())
				: TerminalEscaping.escape(text.toString());
	}

}
