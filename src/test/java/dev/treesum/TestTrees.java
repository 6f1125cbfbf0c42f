package dev.treesum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
	 * @param script the script
	 * @param arguments its positional parameters, {@code $1} onwards
	 */
	public static String sh(String script, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("'" + script + "' failed: " + output);
		}
		return output;
	}

	/**
	 * Create a regular file whose name is exactly the given bytes, through the shell:
	 * Java cannot name a file with bytes that are not valid in the JVM's encoding.
	 * @param directory where
	 * @param name the name's bytes, any but {@code /} and NUL
	 * @param content ASCII content
	 */
	public static void file(Path directory, byte[] name, String content) throws IOException, InterruptedException {
		// The trailing x keeps a name that ends in a newline whole through $(...).
		sh("cd \"$1\" && n=\"$(printf '" + octal(name) + "x')\" && printf %s \"$2\" > \"${n%x}\"", directory.toString(),
				content);
	}

	/**
	 * Create a symbolic link whose name and target are exactly the given bytes.
	 * @param directory where
	 * @param name the link's name
	 * @param target what it points to, which need not exist
	 */
	public static void symlink(Path directory, byte[] name, byte[] target) throws IOException, InterruptedException {
		sh("cd \"$1\" && n=\"$(printf '" + octal(name) + "x')\" && t=\"$(printf '" + octal(target)
				+ "x')\" && ln -s -- \"${t%x}\" \"${n%x}\"", directory.toString());
	}

	/**
	 * Create a named pipe, which blocks whoever opens it for reading.
	 */
	public static void fifo(Path path) throws IOException, InterruptedException {
		sh("mkfifo \"$1\"", path.toString());
	}

	/**
	 * Create a chain of directories named {@code d}, one inside the other.
	 * @param root where the chain starts
	 * @param depth how many directories
	 * @return the deepest one
	 */
	public static Path deepTree(Path root, int depth) throws IOException {
		Path deepest = root.resolve("d" + "/d".repeat(depth - 1));
		Files.createDirectories(deepest);
		return deepest;
	}

	private static String octal(byte[] bytes) {
		StringBuilder octal = new StringBuilder();
		for (byte b : bytes) {
			octal.append(String.format("\\%03o", b & 0xff));
		}
		return octal.toString();
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
