package dev.treesum.report;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a scan's file rows in path order, streaming them from a cursor so the size of a
 * scan never matters.
 */
@Component
public class ScanExporter {

	static final String CSV_HEADER = "path,kind,status,size,mtime,inode,links,digest,error";

	private static final HexFormat HEX = HexFormat.of();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate readOnly;

	ScanExporter(DataSource dataSource, PlatformTransactionManager transactionManager) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setFetchSize(2000);
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
	}

	/**
	 * Write one line per regular file hashed whole: {@code <hex>  <path>}, with the
	 * path's raw bytes, escaped as {@code sha256sum} does when it holds a backslash, a
	 * newline or a carriage return.
	 * @param scanId the scan
	 * @param output where to write
	 * @return the number of lines written
	 */
	public long sha256sum(long scanId, OutputStream output) {
		OutputStream out = new BufferedOutputStream(output, 1 << 16);
		long[] lines = { 0 };
		this.readOnly.executeWithoutResult((status) -> this.jdbc
			.query("select path, digest from treesum_file where scan_id = ? and kind = 'file' and status = 'ok' "
					+ "and digest is not null order by path", (rs) -> {
						write(out, checksumLine(rs.getBytes("digest"), rs.getBytes("path")));
						lines[0]++;
					}, scanId));
		flush(out);
		return lines[0];
	}

	/**
	 * Write a header row and one row per entry, paths in their readable text form.
	 * @param scanId the scan
	 * @param output where to write
	 * @return the number of rows written, header excluded
	 */
	public long csv(long scanId, OutputStream output) {
		OutputStream out = new BufferedOutputStream(output, 1 << 16);
		write(out, (CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
		long[] rows = { 0 };
		this.readOnly.executeWithoutResult((status) -> this.jdbc
			.query("select path_text, kind, status, size, mtime_ns, inode, links, digest, error from treesum_file "
					+ "where scan_id = ? order by path", (rs) -> {
						byte[] digest = rs.getBytes("digest");
						long mtime = rs.getLong("mtime_ns");
						String mtimeText = rs.wasNull() ? "" : Instant.ofEpochSecond(0, 0).plusNanos(mtime).toString();
						String row = Csv.row(rs.getString("path_text"), rs.getString("kind"), rs.getString("status"),
								nullable(rs.getObject("size")), mtimeText, nullable(rs.getObject("inode")),
								nullable(rs.getObject("links")), (digest != null) ? HEX.formatHex(digest) : "",
								nullable(rs.getString("error")));
						write(out, row.getBytes(StandardCharsets.UTF_8));
						rows[0]++;
					}, scanId));
		flush(out);
		return rows[0];
	}

	/**
	 * Format one line as {@code sha256sum} does, raw path bytes included.
	 */
	static byte[] checksumLine(byte[] digest, byte[] path) {
		boolean escape = false;
		for (byte b : path) {
			if (b == '\\' || b == '\n' || b == '\r') {
				escape = true;
				break;
			}
		}
		String hex = HEX.formatHex(digest);
		ByteArrayOutputStream line = new ByteArrayOutputStream(hex.length() + path.length + 8);
		if (escape) {
			line.write('\\');
		}
		line.writeBytes(hex.getBytes(StandardCharsets.US_ASCII));
		line.write(' ');
		line.write(' ');
		for (byte b : path) {
			if (escape && b == '\\') {
				line.write('\\');
				line.write('\\');
			}
			else if (escape && b == '\n') {
				line.write('\\');
				line.write('n');
			}
			else if (escape && b == '\r') {
				// Unescaped, a name ending in a carriage return reads as a CRLF line end
				// to sha256sum -c, which then looks for the name without it.
				line.write('\\');
				line.write('r');
			}
			else {
				line.write(b);
			}
		}
		line.write('\n');
		return line.toByteArray();
	}

	private static String nullable(Object value) {
		return (value != null) ? value.toString() : "";
	}

	private static void write(OutputStream out, byte[] bytes) {
		try {
			out.write(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void flush(OutputStream out) {
		try {
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
