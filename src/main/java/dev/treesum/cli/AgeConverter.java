package dev.treesum.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an age as people write it: a number and a unit, {@code w} weeks, {@code d} days,
 * {@code h} hours, {@code m} minutes or {@code s} seconds, or several of them in a row
 * ({@code 1d12h}). Spring's own duration style has no weeks, which is how verification
 * intervals are often thought of.
 */
class AgeConverter implements ITypeConverter<Duration> {

	private static final Pattern PART = Pattern.compile("(\\d+)([wdhms])");

	private static final Pattern WHOLE = Pattern.compile("(?:\\d+[wdhms])+");

	/**
	 * Far beyond any verification history, and within what PostgreSQL's intervals hold.
	 */
	private static final Duration LONGEST = Duration.ofDays(365L * 1000);

	@Override
	public Duration convert(String value) {
		String age = value.strip().toLowerCase(Locale.ROOT);
		if (!WHOLE.matcher(age).matches()) {
			throw new TypeConversionException(
					"'" + value + "' is not an age such as 30d, 12h, 90m, 2w or 1d12h (w, d, h, m, s)");
		}
		Duration total = Duration.ZERO;
		Matcher part = PART.matcher(age);
		try {
			while (part.find()) {
				long amount = Long.parseLong(part.group(1));
				total = total.plus(switch (part.group(2)) {
					case "w" -> Duration.ofDays(Math.multiplyExact(amount, 7));
					case "d" -> Duration.ofDays(amount);
					case "h" -> Duration.ofHours(amount);
					case "m" -> Duration.ofMinutes(amount);
					default -> Duration.ofSeconds(amount);
				});
			}
		}
		catch (ArithmeticException | NumberFormatException ex) {
			total = null;
		}
		if (total == null || total.compareTo(LONGEST) > 0) {
			throw new TypeConversionException("'" + value + "' is longer than a thousand years");
		}
		return total;
	}

}
