package dev.treesum.scan;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores a chunk of records as file rows and adds them to the partition's totals, in the
 * chunk's transaction: the rows, the totals and the reader's position commit together.
 */
class FileRecordWriter implements ItemWriter<FileRecord> {

	private static final String INSERT = "insert into treesum_file (scan_id, partition_name, path, path_text, kind, "
			+ "status, size, mtime_ns, ctime_ns, inode, device, links, digest, link_target, error, carried_over) "
			+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String ADD_TOTALS = "update treesum_partition set files = files + ?, bytes = bytes + ?, "
			+ "errors = errors + ?, bytes_read = bytes_read + ? where scan_id = ? and name = ?";

	private final JdbcTemplate jdbc;

	private final long scanId;

	private final String partition;

	FileRecordWriter(JdbcTemplate jdbc, long scanId, String partition) {
		this.jdbc = jdbc;
		this.scanId = scanId;
		this.partition = partition;
	}

	@Override
	public void write(Chunk<? extends FileRecord> chunk) {
		List<? extends FileRecord> records = chunk.getItems();
		this.jdbc.batchUpdate(INSERT, new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement ps, int i) throws SQLException {
				bind(ps, records.get(i));
			}

			@Override
			public int getBatchSize() {
				return records.size();
			}

		});
		long bytes = 0;
		long errors = 0;
		long bytesRead = 0;
		for (FileRecord record : records) {
			bytes += record.countedBytes();
			errors += record.isError() ? 1 : 0;
			bytesRead += record.bytesRead();
		}
		this.jdbc.update(ADD_TOTALS, records.size(), bytes, errors, bytesRead, this.scanId, this.partition);
	}

	private void bind(PreparedStatement ps, FileRecord record) throws SQLException {
		FileEntry entry = record.entry();
		boolean stated = entry.status() == FileStatus.OK;
		ps.setLong(1, this.scanId);
		ps.setString(2, this.partition);
		ps.setBytes(3, entry.bytes());
		ps.setString(4, PathBytes.text(entry.bytes()));
		ps.setString(5, entry.kind().id());
		ps.setString(6, record.status().id());
		setLong(ps, 7, stated, entry.size());
		setLong(ps, 8, stated, entry.mtimeNanos());
		setLong(ps, 9, stated, entry.ctimeNanos());
		setLong(ps, 10, stated, entry.inode());
		setLong(ps, 11, stated, entry.device());
		if (stated) {
			ps.setInt(12, entry.links());
		}
		else {
			ps.setNull(12, Types.INTEGER);
		}
		ps.setBytes(13, record.digest());
		ps.setBytes(14, entry.linkTarget());
		ps.setString(15, record.error());
		ps.setBoolean(16, record.carriedOver());
	}

	private static void setLong(PreparedStatement ps, int index, boolean present, long value) throws SQLException {
		if (present) {
			ps.setLong(index, value);
		}
		else {
			ps.setNull(index, Types.BIGINT);
		}
	}

}
