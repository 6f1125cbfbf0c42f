package dev.treesum.scan;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileKind;
import dev.treesum.walk.FileStatus;
import dev.treesum.walk.Lstat;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores a chunk of records and adds them to the partition's totals, in the chunk's
 * transaction: the rows, the totals and the reader's position commit together. New paths
 * go into the series' dictionary first; then the entries, and the errors, each with one
 * binary {@code COPY} straight into the scan's partition, on the transaction's own
 * connection. It measured faster than batched {@code INSERT}s (about a third less work
 * for the server on small files), and does not depend on {@code reWriteBatchedInserts}.
 */
class FileRecordWriter implements ItemWriter<FileRecord> {

	private static final String ENTRY_COLUMNS = " (size, mtime_ns, ctime_ns, inode, scan_id, path_no, shape_id, "
			+ "verified_age, status, content) from stdin (format binary)";

	/** The signature, no flags, no header extension. */
	private static final byte[] HEADER = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0,
			0, 0, 0, 0 };

	/**
	 * The codes of {@link FileKind}, by ordinal, as {@code treesum_shape.kind} stores
	 * them.
	 */
	private static final char[] KINDS = { 'f', 'd', 'l', 'p', 's', 'b', 'c', '?' };

	/**
	 * The codes of {@link FileStatus}, by ordinal, as {@code treesum_entry.status} stores
	 * them.
	 */
	private static final byte[] STATUSES = { 'o', 'u', 'v', 'c', 'e' };

	private static final String ADD_TOTALS = "update treesum_partition set files = files + ?, bytes = bytes + ?, "
			+ "errors = errors + ?, bytes_read = bytes_read + ?, reverify_bytes = reverify_bytes + ? "
			+ "where scan_id = ? and part = ?";

	private final JdbcTemplate jdbc;

	private final int scanId;

	private final int seriesId;

	private final int part;

	private final PathNumbers pathNumbers;

	private final EntryShapes shapes;

	private final String copyPaths;

	private final String copyEntries;

	private final String copyErrors;

	/** One chunk's rows in COPY's binary format, reused from chunk to chunk. */
	private final CopyRows rows = new CopyRows();

	/**
	 * Create a writer for one partition of a scan.
	 * @param jdbc the database
	 * @param scanId the scan
	 * @param seriesId its series, whose dictionary takes the new paths
	 * @param part the partition's number
	 * @param pathNumbers numbers the series' new paths
	 * @param shapes numbers the entries' shapes
	 */
	FileRecordWriter(JdbcTemplate jdbc, int scanId, int seriesId, int part, PathNumbers pathNumbers,
			EntryShapes shapes) {
		this.jdbc = jdbc;
		this.scanId = scanId;
		this.seriesId = seriesId;
		this.part = part;
		this.pathNumbers = pathNumbers;
		this.shapes = shapes;
		this.copyPaths = "copy treesum_path_" + seriesId + " (series_id, path_no, path) from stdin (format binary)";
		this.copyEntries = "copy treesum_entry_" + scanId + ENTRY_COLUMNS;
		this.copyErrors = "copy treesum_error_" + scanId + " (scan_id, path_no, message) from stdin (format binary)";
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
		long reverified = 0;
		for (FileRecord record : records) {
			bytes += record.countedBytes();
			errors += record.isError() ? 1 : 0;
			bytesRead += record.bytesRead();
			reverified += record.reverified() ? record.bytesRead() : 0;
		}
		// The totals first: COPY runs on the unwrapped connection, where the pool cannot
		// see it fail, so a database that is gone must fail a statement the pool sees,
		// or the pool would lend the dead connection to the job repository next.
		this.jdbc.update(ADD_TOTALS, records.size(), bytes, errors, bytesRead, reverified, this.scanId, this.part);
		int[] pathNos = pathNos(records);
		boolean anyErrors = errors > 0;
		int[] shapeIds = new int[records.size()];
		for (int i = 0; i < shapeIds.length; i++) {
			shapeIds[i] = this.shapes.id(shape(records.get(i).entry()));
		}
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			PGConnection postgres = connection.unwrap(PGConnection.class);
			if (encodeNewPaths(records, pathNos)) {
				copy(postgres, this.copyPaths);
			}
			encodeEntries(records, pathNos, shapeIds);
			copy(postgres, this.copyEntries);
			if (anyErrors) {
				encodeErrors(records, pathNos);
				copy(postgres, this.copyErrors);
			}
			return null;
		});
	}

	/**
	 * Return the path numbers of the records, numbering the paths the dictionary lacks.
	 */
	private int[] pathNos(List<? extends FileRecord> records) {
		int[] pathNos = new int[records.size()];
		for (int i = 0; i < pathNos.length; i++) {
			int known = records.get(i).pathNo();
			pathNos[i] = (known != 0) ? known : this.pathNumbers.next();
		}
		return pathNos;
	}

	private EntryShapes.Shape shape(FileEntry entry) {
		Lstat stat = entry.stat();
		char kind = KINDS[entry.kind().ordinal()];
		if (stat == null) {
			return new EntryShapes.Shape(this.part, kind, -1, -1, -1, -1);
		}
		return new EntryShapes.Shape(this.part, kind, stat.mode(), stat.uid(), stat.gid(), stat.links());
	}

	private boolean encodeNewPaths(List<? extends FileRecord> records, int[] pathNos) {
		CopyRows rows = this.rows.start(HEADER);
		boolean any = false;
		for (int i = 0; i < pathNos.length; i++) {
			if (records.get(i).pathNo() == 0) {
				rows.columns(3);
				rows.int4(this.seriesId);
				rows.int4(pathNos[i]);
				rows.field(records.get(i).entry().bytes());
				any = true;
			}
		}
		rows.end();
		return any;
	}

	private void encodeEntries(List<? extends FileRecord> records, int[] pathNos, int[] shapeIds) {
		CopyRows rows = this.rows.start(HEADER);
		for (int i = 0; i < pathNos.length; i++) {
			FileRecord record = records.get(i);
			Lstat stat = record.entry().stat();
			rows.columns(10);
			if (stat != null) {
				rows.int8(stat.size());
				rows.int8(stat.mtimeNanos());
				rows.int8(stat.ctimeNanos());
				rows.int8(stat.inode());
			}
			else {
				rows.nulls(4);
			}
			rows.int4(this.scanId);
			rows.int4(pathNos[i]);
			rows.int4(shapeIds[i]);
			if (record.verifiedAge() >= 0) {
				rows.int2(record.verifiedAge());
			}
			else {
				rows.nulls(1);
			}
			rows.char1(STATUSES[record.status().ordinal()]);
			rows.field(record.content());
		}
		rows.end();
	}

	private void encodeErrors(List<? extends FileRecord> records, int[] pathNos) {
		CopyRows rows = this.rows.start(HEADER);
		for (int i = 0; i < pathNos.length; i++) {
			FileRecord record = records.get(i);
			if (record.isError()) {
				rows.columns(3);
				rows.int4(this.scanId);
				rows.int4(pathNos[i]);
				rows.field(((record.error() != null) ? record.error() : record.status().id())
					.getBytes(StandardCharsets.UTF_8));
			}
		}
		rows.end();
	}

	private void copy(PGConnection connection, String sql) throws SQLException {
		CopyIn copy = connection.getCopyAPI().copyIn(sql);
		try {
			copy.writeToCopy(this.rows.bytes, 0, this.rows.size);
			copy.endCopy();
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

	/**
	 * A growing byte array that writes COPY's binary format: big-endian integers, and
	 * fields as a length (-1 for null) followed by the value's bytes.
	 */
	private static final class CopyRows {

		private byte[] bytes = new byte[64 * 1024];

		private int size;

		CopyRows start(byte[] header) {
			this.size = 0;
			raw(header);
			return this;
		}

		void end() {
			int16(-1);
		}

		void columns(int count) {
			int16(count);
		}

		void field(byte[] value) {
			if (value == null) {
				int32(-1);
				return;
			}
			int32(value.length);
			raw(value);
		}

		void nulls(int count) {
			for (int i = 0; i < count; i++) {
				int32(-1);
			}
		}

		void int8(long value) {
			int32(8);
			int32((int) (value >>> 32));
			int32((int) value);
		}

		void int4(int value) {
			int32(4);
			int32(value);
		}

		void int2(int value) {
			int32(2);
			int16(value);
		}

		void char1(byte value) {
			int32(1);
			ensure(1);
			this.bytes[this.size++] = value;
		}

		private void raw(byte[] value) {
			ensure(value.length);
			System.arraycopy(value, 0, this.bytes, this.size, value.length);
			this.size += value.length;
		}

		private void int32(int value) {
			ensure(4);
			byte[] b = this.bytes;
			int at = this.size;
			b[at] = (byte) (value >>> 24);
			b[at + 1] = (byte) (value >>> 16);
			b[at + 2] = (byte) (value >>> 8);
			b[at + 3] = (byte) value;
			this.size = at + 4;
		}

		private void int16(int value) {
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
