package dev.treesum.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.treesum.TreesumSpringTest;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.HashAlgorithm;
import dev.treesum.hash.IoConcurrencyController;
import dev.treesum.walk.FileEntry;
import dev.treesum.walk.FileTreeWalker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader's threads walk and look up ahead of the chunks: the entries still come in
 * walk order, each once, with their readings; a lookup that fails fails the read rather
 * than hanging it; and closing the reader ends its threads, also while the window is
 * full.
 */
@TreesumSpringTest
class FileTreeReaderIntegrationTests {

	private static final int FILES = 3000;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	private Path tree;

	private int seriesId;

	@BeforeEach
	void treeAndSeries() throws IOException {
		for (int i = 0; i < FILES; i++) {
			Path directory = Files.createDirectories(this.tree.resolve("d" + (i % 7)));
			Files.writeString(directory.resolve("f" + i), "content " + i);
		}
		String roots = "/reader-" + System.nanoTime();
		int scanId = this.jdbc.queryForObject(
				"select treesum_create_scan('reader-test', ?, ?, 'sha256', '{}', false, 0, false, null)", Integer.class,
				new String[] { roots }, roots);
		this.seriesId = this.jdbc.queryForObject("select series_id from treesum_scan where id = ?", Integer.class,
				scanId);
	}

	@Test
	void handsOutEveryEntryOnceInWalkOrderWithItsReading() throws Exception {
		FileTreeReader reader = reader(this.seriesId, "order");
		reader.open(new ExecutionContext());
		List<byte[]> read = new ArrayList<>();
		try {
			for (ListedFile file = reader.read(); file != null; file = reader.read()) {
				read.add(file.entry().bytes());
				if (file.entry().path().getFileName().toString().startsWith("f")) {
					assertThat(file.reading().get().digest()).hasSize(32);
				}
			}
		}
		finally {
			reader.close();
		}

		List<byte[]> walked = new ArrayList<>();
		FileTreeWalker walker = new FileTreeWalker(this.tree, List.of(), null);
		for (FileEntry entry = walker.next(); entry != null; entry = walker.next()) {
			walked.add(entry.bytes());
		}
		assertThat(read).hasSize(FILES).containsExactlyElementsOf(walked);
		assertThat(walkingThreads("order")).as("the walk and its lookups ended with the tree").isEmpty();
	}

	@Test
	void aLookupThatFailsFailsTheRead() throws Exception {
		// A series whose dictionary does not exist: the lookup's statement fails.
		FileTreeReader reader = reader(-1, "failing");
		reader.open(new ExecutionContext());
		try {
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(reader::read);
		}
		finally {
			reader.close();
		}
	}

	@Test
	void closingEndsTheWalkAheadWhileTheWindowIsFull() throws Exception {
		FileTreeReader reader = reader(this.seriesId, "closing");
		reader.open(new ExecutionContext());
		assertThat(reader.read()).isNotNull();
		Thread.sleep(200);
		assertThat(walkingThreads("closing")).as("walking and looking up ahead, the window full").hasSize(2);

		reader.close();

		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!walkingThreads("closing").isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(walkingThreads("closing")).isEmpty();
	}

	private FileTreeReader reader(int series, String name) {
		ReadAheadHasher hasher = new ReadAheadHasher(name, new FileHasher(HashAlgorithm.SHA256),
				IoConcurrencyController.fixed(2), () -> false, (bytes) -> {
				});
		return new FileTreeReader(name, this.tree, List.of(), List.of(), new EntryLookup(this.jdbc, series, null),
				CarryOverRule.NONE, hasher, 100, 400);
	}

	private static List<Thread> walkingThreads(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> (thread.getName().equals(name + "-walk") || thread.getName().equals(name + "-lookup"))
					&& thread.isAlive())
			.toList();
	}

}
