package dev.treesum.report;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

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
	 * Write one line per regular file hashed whole, as the scan's algorithm's own tool
	 * writes them ({@code sha256sum}, {@code sha1sum}, {@code md5sum},
	 * {@code xxhsum -H2}: they share one format): {@code <hex>  <path>}, with the path's
	 * raw bytes, escaped as those tools do when it holds a backslash, a newline or a
	 * carriage return.
	 * @param scanId the scan
	 * @param relative whether paths are relative to the root that holds them
	 * @param output where to write
	 * @return the number of lines written
	 */
	public long sums(long scanId, boolean relative, OutputStream output) {
		OutputStream out = new BufferedOutputStream(output, 1 << 16);
		List<byte[]> roots = relative ? roots(scanId) : null;
		long[] lines = { 0 };
		this.readOnly.executeWithoutResult((status) -> this.jdbc
			.query("select path, digest from treesum_file where scan_id = ? and kind = 'file' and status = 'ok' "
					+ "and digest is not null order by path", (rs) -> {
						byte[] path = rs.getBytes("path");
						write(out, checksumLine(rs.getBytes("digest"), relative ? relative(path, roots) : path));
						lines[0]++;
					}, scanId));
		flush(out);
		return lines[0];
	}

	/**
	 * Write a header row and one row per entry, paths in their readable text form.
	 * @param scanId the scan
	 * @param relative whether paths are relative to the root that holds them
	 * @param output where to write
	 * @return the number of rows written, header excluded
	 */
	public long csv(long scanId, boolean relative, OutputStream output) {
		OutputStream out = new BufferedOutputStream(output, 1 << 16);
		List<byte[]> roots = relative ? roots(scanId) : null;
		write(out, (CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
		long[] rows = { 0 };
		this.readOnly.executeWithoutResult((status) -> this.jdbc
			.query("select path_text, kind, status, size, mtime_ns, inode, links, digest, error from treesum_file "
					+ "where scan_id = ? order by path", (rs) -> {
						byte[] digest = rs.getBytes("digest");
						long mtime = rs.getLong("mtime_ns");
						String mtimeText = rs.wasNull() ? "" : Instant.ofEpochSecond(0, 0).plusNanos(mtime).toString();
						String path = rs.getString("path_text");
						if (relative) {
							path = new String(relative(path.getBytes(StandardCharsets.UTF_8), roots),
									StandardCharsets.UTF_8);
						}
						String row = Csv.row(path, rs.getString("kind"), rs.getString("status"),
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
	 * Return the scan's roots, longest first, so that a root inside another one is found
	 * first; the one query that knows how roots are stored.
	 */
	List<byte[]> roots(long scanId) {
		List<String> roots = this.jdbc.queryForList("select unnest(roots) from treesum_scan where id = ?", String.class,
				scanId);
		return roots.stream()
			.map((root) -> root.getBytes(StandardCharsets.UTF_8))
			.sorted(Comparator.comparingInt((byte[] root) -> root.length).reversed())
			.toList();
	}

	/**
	 * Return a path relative to the longest of the roots that holds it: what
	 * {@code cd ROOT && sha256sum -c} finds again; a root itself is {@code .}.
	 * @param path an absolute path
	 * @param roots the scan's roots, longest first
	 * @return the relative path, or the path itself if no root holds it
	 */
	static byte[] relative(byte[] path, List<byte[]> roots) {
		for (byte[] root : roots) {
			int length = (root.length > 1 && root[root.length - 1] == '/') ? root.length - 1 : root.length;
			boolean isRootDirectory = length == 1 && root[0] == '/';
			if (!isRootDirectory && (path.length < length || !Arrays.equals(path, 0, length, root, 0, length))) {
				continue;
			}
			int start = isRootDirectory ? 1 : length + 1;
			if (path.length <= (isRootDirectory ? 1 : length)) {
				return new byte[] { '.' };
			}
			if (!isRootDirectory && path[length] != '/') {
				continue;
			}
			return Arrays.copyOfRange(path, start, path.length);
		}
		return path;
	}

	/**
	 * Format one line as {@code sha256sum} and its siblings do, raw path bytes included.
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
