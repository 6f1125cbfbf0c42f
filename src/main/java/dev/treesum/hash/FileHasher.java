package dev.treesum.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * Streams a file through a digest with one buffer per thread, reused across files. Heap
 * buffers go through the JDK's cached per-thread direct buffer, so a read costs one copy
 * and no allocation.
 */
public final class FileHasher {

	/** Large enough to amortise the read call, small enough to stay in the L2 cache. */
	public static final int DEFAULT_BUFFER_SIZE = 256 * 1024;

	private final HashAlgorithm algorithm;

	private final ThreadLocal<ByteBuffer> buffers;

	public FileHasher(HashAlgorithm algorithm) {
		this(algorithm, DEFAULT_BUFFER_SIZE);
	}

	public FileHasher(HashAlgorithm algorithm, int bufferSize) {
		this.algorithm = algorithm;
		this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(bufferSize));
	}

	/**
	 * Read the whole file and digest it. Symbolic links are not followed: a file swapped
	 * for a link after it was listed fails with an {@link IOException} instead.
	 * @param file the regular file to read
	 * @param progress told the running count of bytes read after each buffer
	 * @return the digest and the number of bytes read
	 * @throws IOException if the file cannot be opened or read
	 */
	public Digest hash(Path file, LongConsumer progress) throws IOException {
		return hash(file, 0, progress);
	}

	/**
	 * Read a file of a known size and digest it, stopping at that size: a file that grew
	 * meanwhile is one whose size changed, which the caller tells by examining it again,
	 * so the read that would only find the end of the file is saved (one system call in
	 * five, on small files). A file said to be empty is read to its end.
	 * @param file the regular file to read
	 * @param size the size it was listed with
	 * @param progress told the running count of bytes read after each buffer
	 * @return the digest and the number of bytes read, fewer than the size if the file
	 * shrank
	 * @throws IOException if the file cannot be opened or read
	 */
	public Digest hash(Path file, long size, LongConsumer progress) throws IOException {
		Hasher hasher = this.algorithm.hasher();
		ByteBuffer buffer = this.buffers.get();
		long total = 0;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			while (size <= 0 || total < size) {
				buffer.clear();
				if (size > 0) {
					buffer.limit((int) Math.min(buffer.capacity(), size - total));
				}
				int read = channel.read(buffer);
				if (read < 0) {
					break;
				}
				hasher.update(buffer.array(), 0, read);
				total += read;
				progress.accept(total);
			}
		}
		return new Digest(hasher.digest(), total);
	}

	/**
	 * The digest of a file and the number of bytes it was computed over.
	 *
	 * @param bytes the digest
	 * @param length the bytes read
	 */
	public record Digest(byte[] bytes, long length) {
	}

}
