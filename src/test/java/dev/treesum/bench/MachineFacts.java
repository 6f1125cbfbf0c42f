package dev.treesum.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a reader needs to weigh the figures: processors, load, the JVM.
 */
final class MachineFacts {

	private MachineFacts() {
	}

	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	/**
	 * The load average, and the share of time in the last minute that some runnable task
	 * waited for a CPU (pressure stall information), which tells a shared machine's
	 * contention better than the load does.
	 */
	static String load() {
		String load = "load average " + loadAverage();
		try {
			String some = Files.readAllLines(Path.of("/proc/pressure/cpu"))
				.stream()
				.filter((line) -> line.startsWith("some"))
				.findFirst()
				.orElse("");
			for (String field : some.split(" ")) {
				if (field.startsWith("avg60=")) {
					return load + ", CPU pressure " + field.substring("avg60=".length()) + " % (some, 60 s)";
				}
			}
			return load;
		}
		catch (IOException ex) {
			return load;
		}
	}

	static String processors() throws InterruptedException {
		String nproc = run(List.of("nproc")).firstLine();
		return nproc.isEmpty() ? Runtime.getRuntime().availableProcessors() + " (nproc failed)" : nproc;
	}

	static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

	static String memory() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo"))
				.stream()
				.filter((line) -> line.startsWith("MemTotal") || line.startsWith("MemAvailable"))
				.map((line) -> line.replaceAll("\\s+", " "))
				.reduce((a, b) -> a + ", " + b)
				.orElse("");
		}
		catch (IOException ex) {
			return "";
		}
	}

	static String javaVersion(String java) throws InterruptedException {
		CommandOutput output = run(List.of(java, "-version"));
		return (output.exitCode() == 0) ? output.firstLine() : "failed: " + output.lastLine();
	}

	static CommandOutput run(List<String> command) throws InterruptedException {
		try {
			return CommandOutput.of(command, Duration.ofMinutes(1));
		}
		catch (IOException ex) {
			return new CommandOutput(-1, "", ex.getMessage());
		}
	}

}
