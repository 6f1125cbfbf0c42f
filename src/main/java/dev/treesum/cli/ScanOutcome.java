package dev.treesum.cli;

import java.io.PrintWriter;
import java.util.Locale;

import dev.treesum.ExitCode;
import dev.treesum.Sizes;
import dev.treesum.launch.ScanResult;
import dev.treesum.launch.ScanStatus;

import org.springframework.batch.core.BatchStatus;

/**
 * How a run of a scan ended, as {@code scan} and {@code restart} print it: a line on
 * standard error if it did not complete, and a last line on standard output naming the
 * scan and its totals.
 */
final class ScanOutcome {

	private ScanOutcome() {
	}

	/**
	 * Print how a scan run ended.
	 * @param result the run
	 * @param out standard output
	 * @param err standard error
	 * @return the exit code
	 */
	static int print(ScanResult result, PrintWriter out, PrintWriter err) {
		ExitCode exitCode = exitCode(result.batchStatus());
		if (exitCode != ExitCode.COMPLETED) {
			TerminalText.error(err,
					"scan " + result.scanId() + " " + state(result)
							+ ((result.failure() != null) ? ": " + result.failure() : "")
							+ "; run the same scan again, or 'treesum restart " + result.scanId() + "', to resume it");
		}
		out.println(summary(result));
		out.flush();
		return exitCode.code();
	}

	static String summary(ScanResult result) {
		ScanStatus status = result.status();
		if (status == null) {
			return "scan " + result.scanId() + " " + state(result);
		}
		return String.format("scan %d %s: %,d files, %s, %,d errors in %s", result.scanId(), state(result),
				status.files(), Sizes.bytes(status.bytes()), status.errors(), Sizes.duration(status.duration()));
	}

	private static String state(ScanResult result) {
		return result.batchStatus().toString().toLowerCase(Locale.ROOT);
	}

	private static ExitCode exitCode(BatchStatus status) {
		return switch (status) {
			case COMPLETED -> ExitCode.COMPLETED;
			case STOPPED, STOPPING -> ExitCode.STOPPED;
			default -> ExitCode.FAILED;
		};
	}

}
