package dev.treesum;

import java.time.Duration;

import dev.treesum.cli.CommandLinePreflight;
import dev.treesum.cli.Verbosity;
import dev.treesum.db.EmbeddedDatabaseStart;
import dev.treesum.launch.StopSignal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code treesum} command. The process exits with the code of the command that ran,
 * also when SIGTERM or SIGINT stopped it (see {@link StopSignal}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TreesumApplication {

	public static void main(String[] args) {
		CommandLinePreflight.Answer preflight = CommandLinePreflight.answer(args);
		if (preflight.exitCode().isPresent()) {
			System.out.flush();
			System.exit(preflight.exitCode().getAsInt());
		}
		Verbosity.of(args).configureLogging();
		StopSignal.install(stopTimeout(args));
		int exitCode = 1;
		try {
			SpringApplication application = new SpringApplication(TreesumApplication.class);
			// StopSignal's hook closes the application when the command has stopped, or
			// at once if it runs no scan.
			application.setRegisterShutdownHook(false);
			application.addInitializers(StopSignal::closeOnSignal);
			if (preflight.usesDatabase()) {
				application
					.addInitializers((context) -> EmbeddedDatabaseStart.inBackground(context, preflight.onlyReads()));
			}
			exitCode = SpringApplication.exit(application.run(args));
		}
		finally {
			StopSignal.finished(exitCode);
		}
		System.exit(exitCode);
	}

	/**
	 * The stop timeout is needed before the application (and its configuration) exists,
	 * so it is read from the places an operator sets it: the environment or a system
	 * property.
	 */
	private static Duration stopTimeout(String[] args) {
		String value = System.getProperty("treesum.stop-timeout", System.getenv("TREESUM_STOP_TIMEOUT"));
		for (String arg : args) {
			if (arg.startsWith("--treesum.stop-timeout=")) {
				value = arg.substring(arg.indexOf('=') + 1);
			}
		}
		return (value != null && !value.isBlank()) ? DurationStyle.detectAndParse(value)
				: TreesumProperties.DEFAULT_STOP_TIMEOUT;
	}

}
