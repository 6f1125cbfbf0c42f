package dev.treesum.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.treesum.ChangeKind;
import dev.treesum.ExitCode;
import dev.treesum.Sizes;
import dev.treesum.launch.ScanResult;
import dev.treesum.launch.ScanStatus;
import dev.treesum.launch.ScanVerdict;

import org.springframework.batch.core.BatchStatus;

/**
 * How a run of a scan ended, as {@code scan} and {@code restart} print it: a line on
 * standard error if it did not complete or found what {@code --fail-on} names, and a last
 * line on standard output naming the scan, its totals and the count of each kind of
 * change against the previous scan.
 */
final class ScanOutcome {

	private ScanOutcome() {
	}

	/**
	 * Print how a scan run ended.
	 * @param result the run
	 * @param failOn the kinds of finding that make a completed scan exit with 5
	 * @param out standard output
	 * @param err standard error
	 * @return the exit code
	 */
	static int print(ScanResult result, Collection<ChangeKind> failOn, PrintWriter out, PrintWriter err) {
		ExitCode exitCode = exitCode(result.batchStatus());
		if (exitCode != ExitCode.COMPLETED) {
			TerminalText.error(err,
					"scan " + result.scanId() + " " + state(result)
							+ ((result.failure() != null) ? ": " + result.failure() : "")
							+ "; run the same scan again, or 'treesum restart " + result.scanId() + "', to resume it");
		}
		else if (!failOn.isEmpty() && result.verdict() == null) {
			err.println("treesum: scan " + result.scanId() + " completed but cannot be compared with the previous one"
					+ ((result.failure() != null) ? ": " + result.failure() : ""));
			err.flush();
			exitCode = ExitCode.FAILED;
		}
		else if (result.verdict() != null && result.verdict().anyOf(failOn)) {
			err.println("treesum: scan " + result.scanId() + " found " + found(result.verdict(), failOn)
					+ " since scan " + result.verdict().baseId() + ": see 'treesum report changes --scan "
					+ result.scanId() + "'");
			err.flush();
			exitCode = ExitCode.CHANGES_FOUND;
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
		String totals = String.format("scan %d %s: %,d files, %s, %,d errors in %s", result.scanId(), state(result),
				status.files(), Sizes.bytes(status.bytes()), status.errors(), Sizes.duration(status.duration()));
		return (result.verdict() != null) ? totals + "; changes: " + changes(result.verdict()) : totals;
	}

	/**
	 * Return the count of each kind of change, as {@code added=3 deleted=0 ...}; a first
	 * scan says it had nothing to compare with.
	 */
	private static String changes(ScanVerdict verdict) {
		String counts = Arrays.stream(ChangeKind.values())
			.filter((kind) -> kind != ChangeKind.ERRORS)
			.map((kind) -> kind.id() + "=" + verdict.count(kind))
			.collect(Collectors.joining(" "));
		return (verdict.baseId() != null) ? counts : counts + " (no previous scan)";
	}

	private static String found(ScanVerdict verdict, Collection<ChangeKind> failOn) {
		return failOn.stream()
			.distinct()
			.filter((kind) -> verdict.count(kind) > 0)
			.map((kind) -> kind.id() + "=" + verdict.count(kind))
			.collect(Collectors.joining(" "));
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
