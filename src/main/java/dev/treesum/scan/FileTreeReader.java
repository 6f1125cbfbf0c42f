package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileTreeWalker;
import dev.treesum.walk.IoErrors;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Hands out the entries of one partition's tree. Its saved state is the relative path of
 * the last entry handed out, committed with the chunk that holds it, so a restarted
 * partition walks straight past everything already stored.
 */
class FileTreeReader implements ItemStreamReader<FileEntry> {

	/** The raw bytes of the last relative path handed out, Base64. */
	static final String LAST_PATH_KEY = "reader.lastPath";

	private final Path root;

	private final List<String> excludes;

	private final List<byte[]> mountPoints;

	private FileTreeWalker walker;

	private byte[] lastPath;

	FileTreeReader(Path root, List<String> excludes, List<byte[]> mountPoints) {
		this.root = root;
		this.excludes = excludes;
		this.mountPoints = mountPoints;
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
	public FileEntry read() {
		FileEntry entry = this.walker.next();
		if (entry != null) {
			this.lastPath = entry.relative();
		}
		return entry;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		if (this.lastPath != null) {
			executionContext.putString(LAST_PATH_KEY, Base64.getEncoder().encodeToString(this.lastPath));
		}
	}

}
