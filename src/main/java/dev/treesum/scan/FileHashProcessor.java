package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.treesum.hash.FileHasher;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Hashes regular files and passes everything else through unopened. A file whose size or
 * modification time moved while it was read is recorded as changed during read, without a
 * digest; one that could not be read is recorded with the reason. Neither fails the scan.
 */
class FileHashProcessor implements ItemProcessor<FileEntry, FileRecord> {

	private static final LongConsumer NO_PROGRESS = (bytes) -> {
	};

	private final FileHasher hasher;

	private final LongConsumer progress;

	FileHashProcessor(FileHasher hasher) {
		this(hasher, NO_PROGRESS);
	}

	/**
	 * Create a processor that also reports the bytes read of each file as it goes.
	 */
	FileHashProcessor(FileHasher hasher, LongConsumer progress) {
		this.hasher = hasher;
		this.progress = progress;
	}

	@Override
	public FileRecord process(FileEntry entry) {
		if (entry.kind() != FileKind.FILE || entry.status() != FileStatus.OK) {
			return FileRecord.of(entry);
		}
		FileHasher.Digest digest;
		try {
			digest = this.hasher.hash(entry.path(), this.progress);
		}
		catch (IOException ex) {
			return new FileRecord(entry, null, IoErrors.status(ex), IoErrors.message(ex));
		}
		try {
			Map<String, Object> after = Files.readAttributes(entry.path(), "unix:size,lastModifiedTime",
					LinkOption.NOFOLLOW_LINKS);
			long size = (Long) after.get("size");
			long mtime = ((FileTime) after.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
			if (size != entry.size() || mtime != entry.mtimeNanos() || digest.length() != entry.size()) {
				return new FileRecord(entry, null, FileStatus.CHANGED_DURING_READ,
						"listed with " + entry.size() + " bytes, read " + digest.length() + ", now " + size
								+ ((mtime != entry.mtimeNanos()) ? " with a new modification time" : ""));
			}
		}
		catch (IOException ex) {
			return new FileRecord(entry, null, IoErrors.status(ex), IoErrors.message(ex) + " after it was read");
		}
		return new FileRecord(entry, digest.bytes(), FileStatus.OK, null);
	}

}
