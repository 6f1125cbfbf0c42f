package dev.treesum.hash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import dev.treesum.TestTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every algorithm agrees with an independent implementation: the system's
 * {@code sha256sum}, {@code sha1sum} and {@code md5sum} on real files, and published or
 * {@code xxhsum}-derived vectors for XXH3-128. Hashers are reusable, and unknown names
 * are refused with the list of known ones.
 */
class HashAlgorithmTests {

	/** A megabyte of {@code i % 251}: spans several buffers and no power of two. */
	private static final int PATTERN_SIZE = 1_000_000;

	@TempDir
	private Path temp;

	@ParameterizedTest
	@EnumSource(value = HashAlgorithm.class, names = { "SHA256", "SHA1", "MD5" })
	void fileDigestsMatchTheCoreutilsTool(HashAlgorithm algorithm) throws Exception {
		FileHasher fileHasher = new FileHasher(algorithm);
		Random random = new Random(42);
		for (int size : new int[] { 0, 1, 55, 56, 64, FileHasher.DEFAULT_BUFFER_SIZE,
				3 * FileHasher.DEFAULT_BUFFER_SIZE + 7 }) {
			byte[] content = new byte[size];
			random.nextBytes(content);
			Path file = Files.write(this.temp.resolve(algorithm.id() + "-" + size), content);
			String tool = algorithm.id() + "sum";
			String expected = TestTrees.sh(tool + " < \"$1\"", file.toString()).split(" ")[0];

			FileHasher.Digest digest = fileHasher.hash(file, (read) -> {
			});

			assertThat(HexFormat.of().formatHex(digest.bytes())).as("%s of %d bytes", algorithm.id(), size)
				.isEqualTo(expected);
			assertThat(digest.length()).isEqualTo(size);
		}
	}

	@Test
	void aFileOfAKnownSizeIsReadUpToThatSize() throws Exception {
		FileHasher fileHasher = new FileHasher(HashAlgorithm.SHA256, 1000);
		byte[] content = pattern();
		Path file = Files.write(this.temp.resolve("sized"), content);
		String whole = TestTrees.sh("sha256sum < \"$1\"", file.toString()).split(" ")[0];
		String head = TestTrees.sh("head -c 4500 \"$1\" | sha256sum", file.toString()).split(" ")[0];

		FileHasher.Digest exact = fileHasher.hash(file, content.length, (read) -> {
		});
		FileHasher.Digest grown = fileHasher.hash(file, 4500, (read) -> {
		});
		FileHasher.Digest shrunk = fileHasher.hash(file, content.length + 10, (read) -> {
		});
		FileHasher.Digest saidEmpty = fileHasher.hash(file, 0, (read) -> {
		});

		assertThat(HexFormat.of().formatHex(exact.bytes())).isEqualTo(whole);
		assertThat(exact.length()).isEqualTo(content.length);
		assertThat(HexFormat.of().formatHex(grown.bytes())).as("a file that grew: its listed size").isEqualTo(head);
		assertThat(grown.length()).isEqualTo(4500);
		assertThat(shrunk.length()).as("a file that shrank: what there was").isEqualTo(content.length);
		assertThat(HexFormat.of().formatHex(saidEmpty.bytes())).as("a file said to be empty: to its end")
			.isEqualTo(whole);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "''|99aa06d3014798d86001c324468d497f", "abc|06b05ab6733a618578af5f94892f3950",
			"The quick brown fox jumps over the lazy dog|ddd650205ca3e7fa24a1cc2e3a8a7651" })
	void xxh128MatchesKnownVectors(String input, String expected) {
		byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
		Hasher hasher = HashAlgorithm.XXH128.hasher();
		hasher.update(bytes, 0, bytes.length);

		assertThat(HexFormat.of().formatHex(hasher.digest())).isEqualTo(expected);
	}

	@Test
	void xxh128OfAFileReadInManyBuffersMatchesXxhsum() throws Exception {
		// Derived once by piping this pattern to `xxhsum -H2` (xxHash 0.8.1), so that the
		// tests do not need xxhsum installed.
		String expected = "00d4a9d9f77c7d2ddf99c4163891c544";
		Path file = Files.write(this.temp.resolve("pattern"), pattern());

		byte[] whole = new FileHasher(HashAlgorithm.XXH128).hash(file, (read) -> {
		}).bytes();
		byte[] smallBuffers = new FileHasher(HashAlgorithm.XXH128, 1000).hash(file, (read) -> {
		}).bytes();

		assertThat(HexFormat.of().formatHex(whole)).isEqualTo(expected);
		assertThat(HexFormat.of().formatHex(smallBuffers)).isEqualTo(expected);
	}

	@ParameterizedTest
	@EnumSource(HashAlgorithm.class)
	void aHasherGivesTheSameDigestHoweverTheInputIsSplit(HashAlgorithm algorithm) {
		byte[] pattern = pattern();
		Hasher hasher = algorithm.hasher();
		hasher.update(pattern, 0, pattern.length);
		byte[] whole = hasher.digest();

		// Uneven pieces, some far below and some far above any internal block size.
		int offset = 0;
		for (int piece = 1; offset < pattern.length; piece = piece * 3 + 1) {
			int length = Math.min(piece, pattern.length - offset);
			hasher.update(pattern, offset, length);
			offset += length;
		}

		assertThat(hasher.digest()).isEqualTo(whole);
	}

	@ParameterizedTest
	@EnumSource(HashAlgorithm.class)
	void aHasherIsReusableAcrossInputs(HashAlgorithm algorithm) throws Exception {
		byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
		Hasher hasher = algorithm.hasher();
		hasher.update(abc, 0, abc.length);
		byte[] first = hasher.digest();

		// A digest resets: the next input starts from scratch.
		hasher.update(abc, 0, abc.length);
		assertThat(hasher.digest()).isEqualTo(first);

		// Asking for the thread's hasher again discards what an abandoned input left.
		hasher.update(new byte[] { 9, 9, 9 }, 0, 3);
		Hasher again = algorithm.hasher();
		again.update(abc, 0, abc.length);
		assertThat(again.digest()).isEqualTo(first);

		// So does a file hasher, file after file, with its one buffer.
		FileHasher fileHasher = new FileHasher(algorithm);
		Path big = Files.write(this.temp.resolve("big"), pattern());
		Path small = Files.write(this.temp.resolve("small"), abc);
		fileHasher.hash(big, (read) -> {
		});
		assertThat(fileHasher.hash(small, (read) -> {
		}).bytes()).isEqualTo(first);
	}

	@Test
	void looksAlgorithmsUpByNameIgnoringCase() {
		assertThat(HashAlgorithm.of("sha256")).isEqualTo(HashAlgorithm.SHA256);
		assertThat(HashAlgorithm.of("SHA1")).isEqualTo(HashAlgorithm.SHA1);
		assertThat(HashAlgorithm.of("Md5")).isEqualTo(HashAlgorithm.MD5);
		assertThat(HashAlgorithm.of("xxh128")).isEqualTo(HashAlgorithm.XXH128);
	}

	@Test
	void rejectsAnUnknownNameListingTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> HashAlgorithm.of("crc7"))
			.withMessageContaining("'crc7'")
			.withMessageContaining("sha256, sha1, md5, xxh128");
		assertThatIllegalArgumentException().isThrownBy(() -> HashAlgorithm.of("sha-256"))
			.withMessageContaining("sha256, sha1, md5, xxh128");
	}

	private static byte[] pattern() {
		byte[] pattern = new byte[PATTERN_SIZE];
		for (int i = 0; i < pattern.length; i++) {
			pattern[i] = (byte) (i % 251);
		}
		return pattern;
	}

}
