package dev.treesum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Builds real trees for tests, and checks them with real tools.
 */
public final class TestTrees {

	private TestTrees() {
	}

	/**
	 * Write files of mixed sizes, empty and multi-megabyte ones included, across nested
	 * directories.
	 * @param root where
	 * @param count how many files
	 * @param seed for the sizes and the content
	 */
	public static void mixedFiles(Path root, int count, long seed) throws IOException {
		Random random = new Random(seed);
		int[] fixed = { 0, 1, 4095, 4096, 4097, 65536, 3 * 1024 * 1024 + 17 };
		for (int i = 0; i < count; i++) {
			Path directory = root.resolve("d" + (i % 7)).resolve("e" + (i % 3));
			Files.createDirectories(directory);
			int size = (i < fixed.length) ? fixed[i] : random.nextInt(16 * 1024);
			byte[] content = new byte[size];
			random.nextBytes(content);
			Files.write(directory.resolve("f" + i + ".bin"), content);
		}
	}

	/**
	 * Run a shell command, for names and file types Java cannot make.
	 */
	public static String sh(String script) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("'" + script + "' failed: " + output);
		}
		return output;
	}

	/**
	 * Digest every regular file under a root with the system's {@code sha256sum}, an
	 * implementation independent of treesum's.
	 * @return hex digests by absolute path
	 */
	public static Map<String, String> sha256sums(Path root) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("sh", "-c", "find \"$1\" -type f -print0 | xargs -0 -r sha256sum", "sh",
				root.toString())
			.start();
		List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
		process.waitFor();
		Map<String, String> sums = new HashMap<>();
		for (String line : lines) {
			sums.put(line.substring(66), line.substring(0, 64));
		}
		return sums;
	}

}
