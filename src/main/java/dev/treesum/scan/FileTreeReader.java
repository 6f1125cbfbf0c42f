package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * Hands out the entries of one partition's tree in walk order. Two threads of its own
 * work ahead of the chunks: one walks and examines the entries; the other looks them up
 * in the series a batch at a time, decides which regular files must be read, and starts
 * reading them. So walking, looking up and hashing run beside each other and beside the
 * chunks' writes: the walk goes on while the database answers the last batch's lookup on
 * one connection and stores a chunk on another. Its saved state is the relative path of
 * the last entry handed out, committed with the chunk that holds it, so a restarted
 * partition walks straight past everything already stored; what was walked and read ahead
 * of it is simply done again.
 */
class FileTreeReader implements ItemStreamReader<ListedFile> {

	/** The raw bytes of the last relative path handed out, Base64. */
	static final String LAST_PATH_KEY = "reader.lastPath";

	/** What each thread hands over when the walk is over. */
	private static final Batch<?> END = new Batch<>(List.of(), null);

	private final String name;

	private final Path root;

	private final List<String> excludes;

	private final List<byte[]> mountPoints;

	private final EntryLookup lookup;

	private final CarryOverRule rule;

	private final ReadAheadHasher hasher;

	private final int batchSize;

	/**
	 * Entries walked, waiting for their lookup: one batch, so the walk stays one ahead.
	 */
	private final BlockingQueue<Batch<FileEntry>> walked = new ArrayBlockingQueue<>(1);

	private final BlockingQueue<Batch<ListedFile>> ahead;

	private Thread walking;

	private Thread lookingUp;

	private volatile boolean closed;

	private Iterator<ListedFile> current = List.<ListedFile>of().iterator();

	private boolean over;

	private byte[] lastPath;

	/**
	 * Create a reader.
	 * @param name the partition's name, which names the walking thread
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
	FileTreeReader(String name, Path root, List<String> excludes, List<byte[]> mountPoints, EntryLookup lookup,
			CarryOverRule rule, ReadAheadHasher hasher, int batchSize, int window) {
		this.name = name;
		this.root = root;
		this.excludes = excludes;
		this.mountPoints = mountPoints;
		this.lookup = lookup;
		this.rule = rule;
		this.hasher = hasher;
		this.batchSize = batchSize;
		this.ahead = new ArrayBlockingQueue<>(Math.max(1, window / batchSize));
	}

	@Override
	public void open(ExecutionContext executionContext) {
		if (executionContext.containsKey(LAST_PATH_KEY)) {
			this.lastPath = Base64.getDecoder().decode(executionContext.getString(LAST_PATH_KEY));
		}
		FileTreeWalker walker;
		try {
			walker = new FileTreeWalker(this.root, this.excludes, this.lastPath, this.mountPoints);
		}
		catch (IOException ex) {
			throw new ItemStreamException("Cannot walk " + this.root + ": " + IoErrors.message(ex), ex);
		}
		this.walking = start(this.name + "-walk", () -> walk(walker));
		this.lookingUp = start(this.name + "-lookup", this::lookUp);
	}

	@Override
	public ListedFile read() throws InterruptedException {
		while (!this.current.hasNext()) {
			if (this.over) {
				return null;
			}
			Batch<ListedFile> batch = this.ahead.take();
			if (batch.failure() instanceof RuntimeException failure) {
				this.over = true;
				throw failure;
			}
			if (batch.failure() instanceof Error failure) {
				this.over = true;
				throw failure;
			}
			if (batch == END) {
				this.over = true;
				return null;
			}
			this.current = batch.items().iterator();
		}
		ListedFile next = this.current.next();
		this.lastPath = next.entry().relative();
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
		this.closed = true;
		if (this.walking != null) {
			this.walking.interrupt();
			this.lookingUp.interrupt();
		}
		this.hasher.close();
	}

	private static Thread start(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	/**
	 * The walking thread: batches of entries, in walk order, for the lookup thread.
	 */
	private void walk(FileTreeWalker walker) {
		try {
			while (!this.closed) {
				List<FileEntry> entries = new ArrayList<>(this.batchSize);
				for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
					entries.add(entry);
					if (entries.size() == this.batchSize) {
						break;
					}
				}
				if (!entries.isEmpty()) {
					this.walked.put(new Batch<>(entries, null));
				}
				if (entries.size() < this.batchSize) {
					this.walked.put(end());
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
		catch (RuntimeException | Error ex) {
			fail(this.walked, ex);
		}
	}

	/**
	 * The lookup thread: each batch walked, looked up and with its readings started,
	 * handed over in walk order, as many ahead as the window holds. The end of the walk,
	 * or its failure, is passed on as it comes.
	 */
	private void lookUp() {
		try {
			for (Batch<FileEntry> batch = this.walked.take(); !this.closed; batch = this.walked.take()) {
				if (batch == END || batch.failure() != null) {
					this.ahead.put(end(batch.failure()));
					return;
				}
				this.ahead.put(new Batch<>(listed(batch.items()), null));
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
		catch (RuntimeException | Error ex) {
			fail(this.ahead, ex);
		}
	}

	/**
	 * Hand a failure to the next stage, which would otherwise wait for the next batch for
	 * ever.
	 */
	private static <T> void fail(BlockingQueue<Batch<T>> next, Throwable failure) {
		try {
			next.put(end(failure));
		}
		catch (InterruptedException closed) {
			// closed meanwhile: nobody reads any more
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> Batch<T> end() {
		return (Batch<T>) END;
	}

	private static <T> Batch<T> end(Throwable failure) {
		return (failure != null) ? new Batch<>(List.of(), failure) : end();
	}

	private List<ListedFile> listed(List<FileEntry> entries) {
		int[] pathNos = new int[entries.size()];
		PreviousEntry[] previous = new PreviousEntry[entries.size()];
		this.lookup.find(entries, pathNos, previous);
		List<ListedFile> listed = new ArrayList<>(entries.size());
		for (int i = 0; i < pathNos.length; i++) {
			listed.add(listed(entries.get(i), pathNos[i], previous[i]));
		}
		return listed;
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

	/**
	 * Entries handed over together, or why the walk or a lookup failed.
	 */
	private record Batch<T>(List<T> items, Throwable failure) {
	}

}
