package dev.treesum.cli;

/**
 * How much a command tells on standard error: {@code -q} only errors (and warnings), for
 * cron, which mails whatever a job prints; {@code -v} debug logs of treesum's own. The
 * options are parsed by picocli, but logging is set up before the command line exists, so
 * the level is also read from the raw arguments, first thing in {@code main}.
 */
public enum Verbosity {

	/** {@code -q/--quiet}: results and errors only. */
	QUIET("warn"),

	/** The default: a log line per partition start and end, and progress. */
	NORMAL(null),

	/** {@code -v/--verbose}: treesum's debug logs too. */
	VERBOSE("debug");

	private final String level;

	Verbosity(String level) {
		this.level = level;
	}

	/**
	 * Read the verbosity from the arguments as the user typed them, options anywhere
	 * before a {@code --}.
	 * @param args the arguments of {@code main}
	 * @return the verbosity they ask for; with both options, the last one
	 */
	public static Verbosity of(String... args) {
		Verbosity verbosity = NORMAL;
		for (String arg : args) {
			if (arg.equals("--")) {
				break;
			}
			if (arg.equals("-q") || arg.equals("--quiet")) {
				verbosity = QUIET;
			}
			else if (arg.equals("-v") || arg.equals("--verbose")) {
				verbosity = VERBOSE;
			}
		}
		return verbosity;
	}

	/**
	 * Set treesum's log level for this verbosity, as a system property: Spring Boot reads
	 * it when it sets up logging, before anything logs, and an explicit
	 * {@code --logging.level.dev.treesum=...} still wins.
	 */
	public void configureLogging() {
		if (this.level != null) {
			System.setProperty("logging.level.dev.treesum", this.level);
		}
	}

}
