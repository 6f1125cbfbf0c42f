package dev.treesum.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a benchmark keeps its trees, its treesum home and the commands' output:
 * {@code -Dbenchmark.dir} (generated trees stay there for the next run, the rest goes),
 * else a new directory under {@code /var/tmp}, deleted at the end; nothing is deleted
 * with {@code -Dbenchmark.keep=true}.
 */
final class BenchmarkDirectory {

	/**
	 * Names of what is kept in a chosen directory: generated trees and their markers.
	 */
	static final String TREE_PREFIX = "tree-";

	private final Path path;

	private final boolean chosen;

	private final boolean keep;

	private BenchmarkDirectory(Path path, boolean chosen, boolean keep) {
		this.path = path;
		this.chosen = chosen;
		this.keep = keep;
	}

	static BenchmarkDirectory create(String prefix) throws IOException {
		String dir = System.getProperty("benchmark.dir");
		boolean chosen = dir != null && !dir.isBlank();
		Path path = chosen ? Path.of(dir).toAbsolutePath() : Files.createTempDirectory(Path.of("/var/tmp"), prefix);
		Files.createDirectories(path);
		return new BenchmarkDirectory(path, chosen, Boolean.getBoolean("benchmark.keep"));
	}

	Path path() {
		return this.path;
	}

	Path resolve(String name) {
		return this.path.resolve(name);
	}

	/**
	 * An empty directory of that name, whatever an earlier run left there.
	 */
	Path fresh(String name) throws IOException {
		Path fresh = this.path.resolve(name);
		delete(fresh);
		return Files.createDirectories(fresh);
	}

	String describe() {
		if (this.keep) {
			return this.path + " (kept: benchmark.keep=true)";
		}
		return this.path + (this.chosen ? " (generated trees kept for the next run, the rest deleted at the end)"
				: " (deleted at the end; -Dbenchmark.dir=DIR keeps the generated trees)");
	}

	void cleanUp() throws IOException {
		if (this.keep) {
			return;
		}
		if (!this.chosen) {
			delete(this.path);
			return;
		}
		List<Path> children;
		try (Stream<Path> list = Files.list(this.path)) {
			children = list.toList();
		}
		for (Path child : children) {
			if (!child.getFileName().toString().startsWith(TREE_PREFIX)) {
				delete(child);
			}
		}
	}

	static void delete(Path tree) throws IOException {
		if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(tree, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
				if (ex != null) {
					throw ex;
				}
				Files.delete(dir);
				return FileVisitResult.CONTINUE;
			}

		});
	}

}
