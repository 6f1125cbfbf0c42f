package dev.treesum.walk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one file system's tree under a root, depth first and iteratively, so depth is
 * limited by memory, not by the stack. Each directory's entries are sorted by their raw
 * name bytes, so the order is total and stable and the walk can resume right after any
 * path it handed out. It never follows symbolic links and never leaves the root's file
 * system. Memory holds the unvisited entries of the directories on the current path,
 * never the tree.
 */
public final class FileTreeWalker {

	private static final Logger logger = LoggerFactory.getLogger(FileTreeWalker.class);

	private static final byte SLASH = '/';

	private final Path root;

	private final int rootPrefix;

	private final long rootDevice;

	private final List<Exclusion> exclusions;

	private final Set<ByteBuffer> mountPoints;

	private final Deque<Frame> stack = new ArrayDeque<>();

	/**
	 * Start a walk of the tree under a directory.
	 * @param root the directory, absolute and without symbolic links
	 * @param excludes glob patterns: one with a {@code /} matches the path relative to
	 * the root, one without matches the name at any depth; an excluded directory is not
	 * entered
	 * @param resumeAfter the relative path of the last entry handed out before, as raw
	 * bytes, to continue right after it; or {@code null} to start at the beginning
	 * @throws IOException if the root cannot be examined
	 */
	public FileTreeWalker(Path root, List<String> excludes, byte[] resumeAfter) throws IOException {
		this(root, excludes, resumeAfter, List.of());
	}

	/**
	 * Start a walk that also stops at the given mount points, which belong to other
	 * partitions even when they show the same file system (a bind mount).
	 * @param root the directory, absolute and without symbolic links
	 * @param excludes glob patterns, as for {@link #FileTreeWalker(Path, List, byte[])}
	 * @param resumeAfter the relative path to continue after, or {@code null}
	 * @param mountPoints absolute mount points under the root, raw bytes
	 * @throws IOException if the root cannot be examined
	 */
	public FileTreeWalker(Path root, List<String> excludes, byte[] resumeAfter, List<byte[]> mountPoints)
			throws IOException {
		this.root = root;
		this.mountPoints = mountPoints.stream().map(ByteBuffer::wrap).collect(Collectors.toUnmodifiableSet());
		byte[] rootBytes = PathBytes.raw(root);
		this.rootPrefix = (rootBytes.length == 1 && rootBytes[0] == SLASH) ? 1 : rootBytes.length + 1;
		this.rootDevice = Lstat.of(root).device();
		this.exclusions = excludes.stream().map(Exclusion::new).toList();
		this.stack.push(listing(root, 0, (resumeAfter != null) ? split(resumeAfter) : null));
	}

	/**
	 * Return the next entry, or {@code null} when the walk is over. Errors are entries
	 * too: a directory that cannot be listed is returned with its error and not entered.
	 * @return the next entry
	 */
	public FileEntry next() {
		while (!this.stack.isEmpty()) {
			Frame frame = this.stack.peek();
			if (frame.next >= frame.children.length) {
				this.stack.pop();
				continue;
			}
			int index = frame.next++;
			Path child = frame.children[index];
			frame.children[index] = null;
			byte[][] resume = (index == frame.resumeInto) ? frame.resume : null;
			if (isExcluded(child)) {
				continue;
			}
			FileEntry entry = examine(child);
			if (entry.kind() != FileKind.DIRECTORY || entry.status() != FileStatus.OK) {
				return entry;
			}
			if (entry.device() != this.rootDevice || this.mountPoints.contains(ByteBuffer.wrap(entry.bytes()))) {
				logger.info("Not crossing into another file system at {}", TerminalEscaping.escape(entry.bytes()));
				continue;
			}
			try {
				this.stack.push(listing(child, frame.depth + 1, resume));
			}
			catch (IOException ex) {
				return FileEntry.failed(child, entry.bytes(), entry.relative(), FileKind.DIRECTORY, entry.stat(),
						IoErrors.status(ex), IoErrors.message(ex));
			}
		}
		return null;
	}

	private Frame listing(Path directory, int depth, byte[][] resume) throws IOException {
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
			for (Path child : stream) {
				children.add(child);
			}
		}
		catch (DirectoryIteratorException ex) {
			throw ex.getCause();
		}
		Path[] sorted = children.toArray(Path[]::new);
		NameSort.sort(sorted);
		Frame frame = new Frame(sorted, depth);
		if (resume != null && depth < resume.length) {
			byte[] after = resume[depth];
			while (frame.next < sorted.length && compareName(sorted[frame.next], after) < 0) {
				frame.next++;
			}
			if (frame.next < sorted.length && compareName(sorted[frame.next], after) == 0) {
				if (depth == resume.length - 1) {
					frame.next++;
				}
				else {
					frame.resumeInto = frame.next;
					frame.resume = resume;
				}
			}
		}
		return frame;
	}

	private FileEntry examine(Path path) {
		byte[] bytes = PathBytes.of(path);
		byte[] relative = Arrays.copyOfRange(bytes, this.rootPrefix, bytes.length);
		try {
			Lstat stat = Lstat.of(path);
			FileKind kind = stat.kind();
			byte[] target = (kind == FileKind.SYMLINK) ? PathBytes.of(Files.readSymbolicLink(path)) : null;
			return new FileEntry(path, bytes, relative, kind, stat, target, FileStatus.OK, null);
		}
		catch (IOException ex) {
			return FileEntry.failed(path, bytes, relative, FileKind.UNKNOWN, null, IoErrors.status(ex),
					IoErrors.message(ex));
		}
	}

	private boolean isExcluded(Path path) {
		if (this.exclusions.isEmpty()) {
			return false;
		}
		Path relative = this.root.relativize(path);
		for (Exclusion exclusion : this.exclusions) {
			if (exclusion.matches(relative)) {
				return true;
			}
		}
		return false;
	}

	private static int compareName(Path child, byte[] name) {
		byte[] bytes = PathBytes.raw(child);
		int start = lastSlash(bytes) + 1;
		return Arrays.compareUnsigned(bytes, start, bytes.length, name, 0, name.length);
	}

	private static int lastSlash(byte[] bytes) {
		for (int i = bytes.length - 1; i >= 0; i--) {
			if (bytes[i] == SLASH) {
				return i;
			}
		}
		return -1;
	}

	private static byte[][] split(byte[] relative) {
		List<byte[]> parts = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= relative.length; i++) {
			if (i == relative.length || relative[i] == SLASH) {
				if (i > start) {
					parts.add(Arrays.copyOfRange(relative, start, i));
				}
				start = i + 1;
			}
		}
		return parts.toArray(byte[][]::new);
	}

	private static final class Frame {

		private final Path[] children;

		private final int depth;

		private int next;

		private int resumeInto = -1;

		private byte[][] resume;

		Frame(Path[] children, int depth) {
			this.children = children;
			this.depth = depth;
		}

	}

	private static final class Exclusion {

		private final PathMatcher matcher;

		private final boolean wholePath;

		Exclusion(String glob) {
			this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
			this.wholePath = glob.indexOf('/') >= 0;
		}

		boolean matches(Path relative) {
			return this.matcher.matches(this.wholePath ? relative : relative.getFileName());
		}

	}

}
