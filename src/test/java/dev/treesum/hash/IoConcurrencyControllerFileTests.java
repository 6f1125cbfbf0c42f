package dev.treesum.hash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real files read by more threads than the controller allows: the files being read at
 * once never outnumber its window, and every digest is the one a lone reader computes.
 */
class IoConcurrencyControllerFileTests {

	private static final int THREADS = 8;

	@TempDir
	private Path temp;

	@Test
	void aFixedWindowIsFilledAndNeverExceeded() throws Exception {
		List<Path> files = files(40, 256 * 1024);
		IoConcurrencyController controller = IoConcurrencyController.fixed(3);
		// The first readers wait for each other, so that the window is known to fill
		// and the readers beyond it are known to be waiting for a slot.
		CountDownLatch full = new CountDownLatch(3);

		Reads reads = readAll(files, controller, new FileHasher(HashAlgorithm.SHA256), () -> {
			full.countDown();
			full.await(10, TimeUnit.SECONDS);
		});

		assertThat(full.getCount()).isZero();
		assertThat(reads.peak).isEqualTo(3);
		assertThat(reads.limits).containsOnly(3);
		assertThat(reads.digests).isEqualTo(digests(files));
	}

	@Test
	void anAdaptiveWindowMovesWithinItsBoundsAndIsNeverExceeded() throws Exception {
		List<Path> files = files(120, 16 * 1024);
		// A clock that moves a millisecond each time it is read, so that samples close
		// and the window moves however fast this machine reads.
		AtomicLong clock = new AtomicLong();
		IoConcurrencyController controller = IoConcurrencyController.adaptive(2, 1, 4,
				IoConcurrencyController.Tuning.DEFAULTS, () -> clock.addAndGet(1_000_000));

		Reads reads = readAll(files, controller, new FileHasher(HashAlgorithm.SHA256, 2048), () -> {
		});

		assertThat(reads.peak).isBetween(1, 4);
		assertThat(reads.limits).hasSizeGreaterThan(1).allSatisfy((limit) -> assertThat(limit).isBetween(1, 4));
		assertThat(reads.digests).isEqualTo(digests(files));
	}

	private List<Path> files(int count, int size) throws Exception {
		Random random = new Random(11);
		List<Path> files = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			byte[] content = new byte[size / 2 + random.nextInt(size)];
			random.nextBytes(content);
			files.add(Files.write(this.temp.resolve("file-" + i), content));
		}
		return files;
	}

	private static List<String> digests(List<Path> files) throws Exception {
		FileHasher hasher = new FileHasher(HashAlgorithm.SHA256);
		List<String> digests = new ArrayList<>();
		for (Path file : files) {
			digests.add(hex(hasher.hash(file, (total) -> {
			}).bytes()));
		}
		return digests;
	}

	/**
	 * Read every file as the scan's read-ahead does, a slot taken before the open and
	 * given back after the last read, counting the readers between the two.
	 */
	private static Reads readAll(List<Path> files, IoConcurrencyController controller, FileHasher hasher,
			FirstRead firstRead) throws Exception {
		AtomicInteger reading = new AtomicInteger();
		AtomicInteger peak = new AtomicInteger();
		Set<Integer> limits = ConcurrentHashMap.newKeySet();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<String>> digests = new ArrayList<>();
			for (Path file : files) {
				digests.add(threads.submit(() -> {
					controller.acquire();
					long[] reported = { 0 };
					try {
						peak.accumulateAndGet(reading.incrementAndGet(), Math::max);
						limits.add(controller.limit());
						firstRead.run();
						return hex(hasher.hash(file, (total) -> {
							controller.read(total - reported[0]);
							reported[0] = total;
							limits.add(controller.limit());
						}).bytes());
					}
					finally {
						// Counted out before the slot is given back, so that the next
						// reader is never counted with this one.
						reading.decrementAndGet();
						controller.completed(0);
					}
				}));
			}
			List<String> results = new ArrayList<>();
			for (Future<String> digest : digests) {
				results.add(digest.get(30, TimeUnit.SECONDS));
			}
			return new Reads(peak.get(), new HashSet<>(limits), results);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	@FunctionalInterface
	private interface FirstRead {

		void run() throws InterruptedException;

	}

	private record Reads(int peak, Set<Integer> limits, List<String> digests) {
	}

}
