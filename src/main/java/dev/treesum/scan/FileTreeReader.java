package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.FileTreeWalker;
import dev.treesum.walk.IoErrors;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Hands out the entries of one partition's tree in walk order. It walks ahead of the
 * chunks: it looks the entries up in the series a batch at a time, decides which regular
 * files must be read, and starts reading them, so that hashing runs beside the chunks'
 * writes. Its saved state is the relative path of the last entry handed out, committed
 * with the chunk that holds it, so a restarted partition walks straight past everything
 * already stored; what was read ahead of it is simply read again.
 */
class FileTreeReader implements ItemStreamReader<ListedFile> {

	/** The raw bytes of the last relative path handed out, Base64. */
	static final String LAST_PATH_KEY = "reader.lastPath";

	private final Path root;

	private final List<String> excludes;

	private final List<byte[]> mountPoints;

	private final EntryLookup lookup;

	private final CarryOverRule rule;

	private final ReadAheadHasher hasher;

	private final int batchSize;

	private final int window;

	private final Deque<ListedFile> ahead = new ArrayDeque<>();

	private FileTreeWalker walker;

	private boolean walked;

	private byte[] lastPath;

	/**
	 * Create a reader.
	 * @param root where the walk starts
	 * @param excludes glob patterns to leave out
	 * @param mountPoints the mount points below the root, which belong to other
	 * partitions
	 * @param lookup finds what the series knows of the entries
	 * @param rule which unchanged files keep their previous digest unread
	 * @param hasher reads the files ahead
	 * @param batchSize entries looked up at once
	 * @param window entries handed out ahead of the chunk at most
	 */
	FileTreeReader(Path root, List<String> excludes, List<byte[]> mountPoints, EntryLookup lookup, CarryOverRule rule,
			ReadAheadHasher hasher, int batchSize, int window) {
		this.root = root;
		this.excludes = excludes;
		this.mountPoints = mountPoints;
		this.lookup = lookup;
		this.rule = rule;
		this.hasher = hasher;
		this.batchSize = batchSize;
		this.window = Math.max(window, batchSize);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		if (executionContext.containsKey(LAST_PATH_KEY)) {
			this.lastPath = Base64.getDecoder().decode(executionContext.getString(LAST_PATH_KEY));
		}
		try {
			this.walker = new FileTreeWalker(this.root, this.excludes, this.lastPath, this.mountPoints);
		}
		catch (IOException ex) {
			throw new ItemStreamException("Cannot walk " + this.root + ": " + IoErrors.message(ex), ex);
		}
	}

	@Override
	public ListedFile read() {
		while (!this.walked && this.ahead.size() + this.batchSize <= this.window) {
			walkAhead();
		}
		ListedFile next = this.ahead.poll();
		if (next != null) {
			this.lastPath = next.entry().relative();
		}
		return next;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		if (this.lastPath != null) {
			executionContext.putString(LAST_PATH_KEY, Base64.getEncoder().encodeToString(this.lastPath));
		}
	}

	@Override
	public void close() {
		this.hasher.close();
	}

	private void walkAhead() {
		List<FileEntry> batch = new ArrayList<>(this.batchSize);
		for (FileEntry entry = this.walker.next(); entry != null; entry = this.walker.next()) {
			batch.add(entry);
			if (batch.size() == this.batchSize) {
				break;
			}
		}
		if (batch.size() < this.batchSize) {
			this.walked = true;
		}
		if (batch.isEmpty()) {
			return;
		}
		int[] pathNos = new int[batch.size()];
		PreviousEntry[] previous = new PreviousEntry[batch.size()];
		this.lookup.find(batch, pathNos, previous);
		for (int i = 0; i < pathNos.length; i++) {
			this.ahead.add(listed(batch.get(i), pathNos[i], previous[i]));
		}
	}

	private ListedFile listed(FileEntry entry, int pathNo, PreviousEntry previous) {
		if (entry.kind() != FileKind.FILE || entry.status() != FileStatus.OK) {
			return new ListedFile(entry, pathNo, null, null, false);
		}
		boolean unchanged = this.rule.unchanged(entry, previous);
		boolean reverified = unchanged && this.rule.reverify(previous, pathNo);
		Future<FileReading> reading = (!unchanged || reverified) ? this.hasher.read(entry) : null;
		return new ListedFile(entry, pathNo, unchanged ? previous : null, reading, reverified);
	}

}
