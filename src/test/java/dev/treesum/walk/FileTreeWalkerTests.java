package dev.treesum.walk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.treesum.TestTrees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The walker over real trees: entries come in the order of each directory's raw name
 * bytes, a walk resumed after any entry yields exactly the rest, excludes prune, and
 * nothing but a directory is entered, at any depth.
 */
class FileTreeWalkerTests {

	@TempDir
	private Path temp;

	private Path root;

	@BeforeEach
	void createRoot() throws IOException {
		// The walker wants a real path: the temporary directory may sit under a link.
		this.root = Files.createDirectory(this.temp.resolve("root")).toRealPath();
	}

	@Test
	void returnsEntriesSortedByTheUnsignedBytesOfEachDirectorysNames() throws Exception {
		for (String name : List.of("a.b", "B", "a/x", "_", "a/y/z", "Z", "a/Y", "0")) {
			write(name);
		}
		TestTrees.file(this.root, latin1("caf\u00e9"), "latin-1");
		TestTrees.file(this.root, "caf\u00e9".getBytes(StandardCharsets.UTF_8), "utf-8");
		TestTrees.file(this.root, new byte[] { (byte) 0xff }, "ff");
		TestTrees.file(this.root, new byte[] { (byte) 0x80 }, "80");
		TestTrees.file(this.root, new byte[] { 0x7f }, "7f");

		List<String> walked = names(walk(null));

		// A directory's entries come right after it, before a sibling whose name extends
		// its own ("a" < "a.b" although "a/x" > "a.b" as whole paths); bytes from 0x80 on
		// sort after ASCII, as unsigned bytes do.
		assertThat(walked).containsExactly("0", "B", "Z", "_", "a/Y", "a/x", "a/y/z", "a.b", "caf\u00c3\u00a9",
				"caf\u00e9", "\u007f", "\u0080", "\u00ff");
	}

	@Test
	void resumesRightAfterEveryPosition() throws Exception {
		TestTrees.mixedFiles(this.root, 30, 11);
		write("d1.x");
		write("d1/e0.z");
		write("d3/e1/deeper/still/f");
		Files.createDirectories(this.root.resolve("empty/inside"));
		TestTrees.file(this.root.resolve("d2"), latin1("na\u00efve"), "x");
		TestTrees.file(this.root.resolve("d2"), new byte[] { 'e', '0', (byte) 0x80 }, "x");
		TestTrees.symlink(this.root, bytes("link"), bytes("d1"));
		TestTrees.fifo(this.root.resolve("d4/pipe"));
		List<String> full = names(walk(null));
		assertThat(full).hasSize(37);

		for (int i = 0; i < full.size(); i++) {
			List<String> resumed = names(walk(latin1(full.get(i))));

			assertThat(resumed).as("resumed after %s", full.get(i)).isEqualTo(full.subList(i + 1, full.size()));
		}
	}

	@Test
	void resumesAfterAPathThatNoLongerExistsAtTheNextOneInOrder() throws Exception {
		for (String name : List.of("a/1", "b/c/1", "b/c/2", "b/d", "c")) {
			write(name);
		}
		Files.delete(this.root.resolve("b/c/1"));
		Files.delete(this.root.resolve("b/c/2"));
		Files.delete(this.root.resolve("b/c"));

		assertThat(names(walk(bytes("b/c/1")))).containsExactly("b/d", "c");
		assertThat(names(walk(bytes("a/0")))).containsExactly("a/1", "b/d", "c");
	}

	@Test
	void aPatternWithoutSlashExcludesNamesAtAnyDepthAndPrunesDirectories() throws Exception {
		for (String name : List.of("keep.txt", "skip.tmp", "sub/skip.tmp", "sub/deeper/skip.tmp", "sub/keep.txt",
				"cache/keep.txt", "sub/cache/keep.txt", "sub/cache/inner/keep.txt", "cachex/keep.txt")) {
			write(name);
		}

		List<String> walked = names(walk(List.of("*.tmp", "cache"), null));

		assertThat(walked).containsExactly("cachex/keep.txt", "keep.txt", "sub/keep.txt");
	}

	@Test
	void aPatternWithSlashMatchesThePathRelativeToTheRoot() throws Exception {
		for (String name : List.of("logs/app.log", "sub/logs/app.log", "a/b/c.txt", "x/b/c.txt", "a/b/d.txt",
				"a/y/b/c.txt", "top.log")) {
			write(name);
		}

		List<String> walked = names(walk(List.of("sub/logs", "*/b/c.txt"), null));

		assertThat(walked).containsExactly("a/b/d.txt", "a/y/b/c.txt", "logs/app.log", "top.log");
	}

	@Test
	void returnsSymlinksWithTheirTargetsAndNeverFollowsThem() throws Exception {
		write("dir/inside.txt");
		write("file.txt");
		TestTrees.symlink(this.root, bytes("to-file"), bytes("file.txt"));
		TestTrees.symlink(this.root, bytes("to-dir"), bytes("dir"));
		TestTrees.symlink(this.root, bytes("dangling"), bytes("nowhere/at/all"));
		TestTrees.symlink(this.root, bytes("loop-a"), bytes("loop-b"));
		TestTrees.symlink(this.root, bytes("loop-b"), bytes("loop-a"));
		TestTrees.symlink(this.root, bytes("up"), bytes(".."));
		TestTrees.symlink(this.root, bytes("absolute"), PathBytes.of(this.root));
		TestTrees.symlink(this.root, bytes("latin"), latin1("caf\u00e9"));

		// A walker that followed links would never end here.
		List<FileEntry> entries = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> walk(null));

		assertThat(names(entries)).containsExactly("absolute", "dangling", "dir/inside.txt", "file.txt", "latin",
				"loop-a", "loop-b", "to-dir", "to-file", "up");
		Map<String, FileEntry> byName = byName(entries);
		Map<String, byte[]> targets = Map.of("absolute", PathBytes.of(this.root), "dangling", bytes("nowhere/at/all"),
				"latin", latin1("caf\u00e9"), "loop-a", bytes("loop-b"), "loop-b", bytes("loop-a"), "to-dir",
				bytes("dir"), "to-file", bytes("file.txt"), "up", bytes(".."));
		targets.forEach((name, target) -> {
			FileEntry link = byName.get(name);
			assertThat(link.kind()).as(name).isEqualTo(FileKind.SYMLINK);
			assertThat(link.status()).as(name).isEqualTo(FileStatus.OK);
			assertThat(link.linkTarget()).as(name).isEqualTo(target);
		});
		assertThat(byName.get("file.txt").linkTarget()).isNull();
	}

	@Test
	void walksATreeTwoThousandDirectoriesDeepWithoutRecursion() throws Exception {
		// One-character names keep the deepest path under PATH_MAX (4096 bytes).
		Path deepest = TestTrees.deepTree(this.root, 2000);
		Files.writeString(deepest.resolve("f"), "bottom");
		write("e");
		String deepFile = "d/".repeat(2000) + "f";

		// A small stack, so that a walker recursing once per level would overflow it.
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread thread = new Thread(null, () -> {
			try {
				outcome.set(names(walk(null)));
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
		}, "small-stack", 256 * 1024);
		thread.start();
		thread.join(Duration.ofSeconds(60).toMillis());

		try {
			assertThat(outcome.get()).isEqualTo(List.of(deepFile, "e"));
			assertThat(names(walk(latin1(deepFile)))).containsExactly("e");
		}
		finally {
			// JUnit's own clean-up takes most of a minute over such a chain.
			TestTrees.sh("rm -rf \"$1\"", this.root.resolve("d").toString());
		}
	}

	@Test
	void returnsAFifoWithoutOpeningIt() throws Exception {
		TestTrees.fifo(this.root.resolve("pipe"));
		write("after");

		// Opening a FIFO for reading blocks until a writer comes, which none will.
		List<FileEntry> entries = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> walk(null));

		assertThat(names(entries)).containsExactly("after", "pipe");
		assertThat(byName(entries).get("pipe").kind()).isEqualTo(FileKind.FIFO);
		assertThat(byName(entries).get("after").kind()).isEqualTo(FileKind.FILE);
	}

	@Test
	void stopsAtTheMountPointsItIsGivenEvenOnItsOwnFileSystem() throws Exception {
		// A bind mount shows the walk's own device: only the list of mount points tells
		// the walker that what lies there belongs to another partition.
		for (String name : List.of("a/1", "bound/1", "bound/deeper/2", "boundary/1", "sub/bound/1", "z")) {
			write(name);
		}
		byte[] bound = PathBytes.of(this.root.resolve("bound"));
		byte[] missing = PathBytes.of(this.root.resolve("not-there"));
		FileTreeWalker walker = new FileTreeWalker(this.root, List.of(), null, List.of(bound, missing));
		List<FileEntry> entries = new ArrayList<>();
		for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
			entries.add(entry);
		}

		// Only the exact mount point stops the walk: not a name it is a prefix of, nor
		// the
		// same name deeper down.
		assertThat(names(entries)).containsExactly("a/1", "boundary/1", "sub/bound/1", "z");
	}

	@Test
	void recordsAbsolutePathsAndAttributesOfEachEntry() throws Exception {
		Path file = write("sub/five");
		Files.writeString(file, "12345");
		Files.createLink(this.root.resolve("sub/hard"), file);

		Map<String, FileEntry> entries = byName(walk(null));

		FileEntry five = entries.get("sub/five");
		assertThat(five.bytes()).isEqualTo(PathBytes.of(file));
		assertThat(five.path()).isEqualTo(file);
		assertThat(five.size()).isEqualTo(5);
		assertThat(five.links()).isEqualTo(2);
		assertThat(five.inode()).isEqualTo(entries.get("sub/hard").inode());
		assertThat(five.mtimeNanos()).isEqualTo(Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
	}

	private Path write(String relative) throws IOException {
		Path file = this.root.resolve(relative);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, relative);
	}

	private List<FileEntry> walk(byte[] resumeAfter) throws IOException {
		return walk(List.of(), resumeAfter);
	}

	private List<FileEntry> walk(List<String> excludes, byte[] resumeAfter) throws IOException {
		FileTreeWalker walker = new FileTreeWalker(this.root, excludes, resumeAfter);
		List<FileEntry> entries = new ArrayList<>();
		for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
			entries.add(entry);
		}
		return entries;
	}

	/**
	 * Relative paths as Latin-1 text: one character per byte, so any bytes compare and
	 * print exactly.
	 */
	private static List<String> names(List<FileEntry> entries) {
		return entries.stream().map((entry) -> new String(entry.relative(), StandardCharsets.ISO_8859_1)).toList();
	}

	private static Map<String, FileEntry> byName(List<FileEntry> entries) {
		return entries.stream()
			.collect(Collectors.toMap((entry) -> new String(entry.relative(), StandardCharsets.ISO_8859_1),
					Function.identity()));
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] bytes(String ascii) {
		return ascii.getBytes(StandardCharsets.US_ASCII);
	}

}
