package dev.treesum.scan;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.PathBytes;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores a chunk of records as file rows and adds them to the partition's totals, in the
 * chunk's transaction: the rows, the totals and the reader's position commit together.
 * The rows go in with one binary {@code COPY} per chunk, on the transaction's own
 * connection: it measured faster than batched {@code INSERT}s (about a third less work
 * for the server on small files), and does not depend on {@code reWriteBatchedInserts}
 * being in the URL.
 */
class FileRecordWriter implements ItemWriter<FileRecord> {

	private static final String COPY = "copy treesum_file (scan_id, partition_name, path, path_text, kind, status, "
			+ "size, mtime_ns, ctime_ns, inode, device, links, digest, link_target, error, carried_over) "
			+ "from stdin (format binary)";

	private static final int COLUMNS = 16;

	private static final byte[] TRUE = { 1 };

	private static final byte[] FALSE = { 0 };

	/** The signature, no flags, no header extension. */
	private static final byte[] HEADER = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0,
			0, 0, 0, 0 };

	private static final byte[][] KINDS = utf8(FileKind.values(), FileKind::id);

	private static final byte[][] STATUSES = utf8(FileStatus.values(), FileStatus::id);

	private static final String ADD_TOTALS = "update treesum_partition set files = files + ?, bytes = bytes + ?, "
			+ "errors = errors + ?, bytes_read = bytes_read + ? where scan_id = ? and name = ?";

	private final JdbcTemplate jdbc;

	private final long scanId;

	private final String partition;

	private final byte[] partitionBytes;

	/** One chunk's rows in COPY's binary format, reused from chunk to chunk. */
	private final Rows rows = new Rows();

	FileRecordWriter(JdbcTemplate jdbc, long scanId, String partition) {
		this.jdbc = jdbc;
		this.scanId = scanId;
		this.partition = partition;
		this.partitionBytes = partition.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void write(Chunk<? extends FileRecord> chunk) {
		List<? extends FileRecord> records = chunk.getItems();
		if (records.isEmpty()) {
			return;
		}
		long bytes = 0;
		long errors = 0;
		long bytesRead = 0;
		for (FileRecord record : records) {
			bytes += record.countedBytes();
			errors += record.isError() ? 1 : 0;
			bytesRead += record.bytesRead();
		}
		// The totals first: COPY runs on the unwrapped connection, where the pool cannot
		// see it fail, so a database that is gone must fail a statement the pool sees,
		// or the pool would lend the dead connection to the job repository next.
		this.jdbc.update(ADD_TOTALS, records.size(), bytes, errors, bytesRead, this.scanId, this.partition);
		Rows rows = encode(records);
		this.jdbc.execute((ConnectionCallback<Long>) (connection) -> copy(connection.unwrap(PGConnection.class), rows));
	}

	private static long copy(PGConnection connection, Rows rows) throws SQLException {
		CopyIn copy = connection.getCopyAPI().copyIn(COPY);
		try {
			copy.writeToCopy(rows.bytes, 0, rows.size);
			return copy.endCopy();
		}
		catch (SQLException ex) {
			if (copy.isActive()) {
				try {
					copy.cancelCopy();
				}
				catch (SQLException cancel) {
					ex.addSuppressed(cancel);
				}
			}
			throw ex;
		}
	}

	private Rows encode(List<? extends FileRecord> records) {
		Rows rows = this.rows;
		rows.size = 0;
		rows.raw(HEADER);
		for (FileRecord record : records) {
			FileEntry entry = record.entry();
			rows.int16(COLUMNS);
			rows.bigint(this.scanId);
			rows.field(this.partitionBytes);
			rows.field(entry.bytes());
			rows.field(pathText(entry.bytes()));
			rows.field(KINDS[entry.kind().ordinal()]);
			rows.field(STATUSES[record.status().ordinal()]);
			if (entry.status() == FileStatus.OK) {
				rows.bigint(entry.size());
				rows.bigint(entry.mtimeNanos());
				rows.bigint(entry.ctimeNanos());
				rows.bigint(entry.inode());
				rows.bigint(entry.device());
				rows.int32(4);
				rows.int32(entry.links());
			}
			else {
				for (int i = 0; i < 6; i++) {
					rows.int32(-1);
				}
			}
			rows.field(record.digest());
			rows.field(entry.linkTarget());
			rows.field((record.error() != null) ? record.error().getBytes(StandardCharsets.UTF_8) : null);
			rows.field(record.carriedOver() ? TRUE : FALSE);
		}
		rows.int16(-1);
		return rows;
	}

	/**
	 * Return the UTF-8 bytes of the path's text form: the path's own bytes when they are
	 * ASCII, as most are, so that the common case decodes and encodes nothing.
	 */
	private static byte[] pathText(byte[] path) {
		for (byte b : path) {
			if (b < 0) {
				return PathBytes.text(path).getBytes(StandardCharsets.UTF_8);
			}
		}
		return path;
	}

	private static <E> byte[][] utf8(E[] values, java.util.function.Function<E, String> id) {
		return Arrays.stream(values)
			.map((value) -> id.apply(value).getBytes(StandardCharsets.UTF_8))
			.toArray(byte[][]::new);
	}

	/**
	 * A growing byte array that writes COPY's binary format: big-endian integers, and
	 * fields as a length (-1 for null) followed by the value's bytes.
	 */
	private static final class Rows {

		private byte[] bytes = new byte[64 * 1024];

		private int size;

		void raw(byte[] value) {
			ensure(value.length);
			System.arraycopy(value, 0, this.bytes, this.size, value.length);
			this.size += value.length;
		}

		void field(byte[] value) {
			if (value == null) {
				int32(-1);
				return;
			}
			int32(value.length);
			raw(value);
		}

		void bigint(long value) {
			int32(8);
			int32((int) (value >>> 32));
			int32((int) value);
		}

		void int32(int value) {
			ensure(4);
			byte[] b = this.bytes;
			int at = this.size;
			b[at] = (byte) (value >>> 24);
			b[at + 1] = (byte) (value >>> 16);
			b[at + 2] = (byte) (value >>> 8);
			b[at + 3] = (byte) value;
			this.size = at + 4;
		}

		void int16(int value) {
			ensure(2);
			this.bytes[this.size] = (byte) (value >>> 8);
			this.bytes[this.size + 1] = (byte) value;
			this.size += 2;
		}

		private void ensure(int more) {
			if (this.size + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + more));
			}
		}

	}

}
