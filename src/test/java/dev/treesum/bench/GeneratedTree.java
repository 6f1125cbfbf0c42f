package dev.treesum.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A tree of generated files with seeded random sizes and contents, a thousand to a
 * directory and a hundred directories to a parent, made once and reused while it still
 * holds its number of files.
 */
final class GeneratedTree {

	private static final int PER_DIRECTORY = 1000;

	private static final int DIRECTORIES_PER_PARENT = 100;

	private GeneratedTree() {
	}

	/**
	 * @param dir the benchmark directory
	 * @param name what the tree is, part of its directory name
	 * @param files how many files
	 * @param maxSize the largest file, in bytes (sizes are uniform from 0)
	 * @param seed the seed of sizes and contents
	 * @param report where to say what was done
	 * @return the tree's root
	 */
	static Path ensure(BenchmarkDirectory dir, String name, int files, int maxSize, long seed, FigureReport report)
			throws IOException {
		String id = BenchmarkDirectory.TREE_PREFIX + name + "-" + files + "x0-" + maxSize + "-seed" + seed;
		Path root = dir.resolve(id);
		Path marker = dir.resolve(id + ".done");
		if (Files.exists(marker)) {
			long started = System.nanoTime();
			long found = count(root);
			if (found == files) {
				report.line("reusing %s: %,d files (counted in %.1f s)", root, found, seconds(started));
				return root;
			}
			report.line("%s holds %,d files instead of %,d: generating it again", root, found, files);
		}
		Files.deleteIfExists(marker);
		BenchmarkDirectory.delete(root);
		long started = System.nanoTime();
		Random random = new Random(seed);
		long bytes = 0;
		Path directory = null;
		for (int i = 0; i < files; i++) {
			if (i % PER_DIRECTORY == 0) {
				int leaf = i / PER_DIRECTORY;
				directory = root.resolve(String.format(Locale.ROOT, "%03d", leaf / DIRECTORIES_PER_PARENT))
					.resolve(String.format(Locale.ROOT, "%03d", leaf % DIRECTORIES_PER_PARENT));
				Files.createDirectories(directory);
			}
			int size = random.nextInt(maxSize + 1);
			byte[] content = new byte[size];
			random.nextBytes(content);
			Files.write(directory.resolve(String.format(Locale.ROOT, "file-%07d.bin", i)), content);
			bytes += size;
		}
		Files.writeString(marker, files + " files\n");
		report.line("generated %s: %,d files, %s, in %.0f s", root, files, FigureReport.bytes(bytes), seconds(started));
		return root;
	}

	private static long count(Path root) throws IOException {
		if (!Files.isDirectory(root)) {
			return 0;
		}
		try (Stream<Path> walk = Files.walk(root)) {
			return walk.filter(Files::isRegularFile).count();
		}
	}

	private static double seconds(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1e9;
	}

}
