package dev.treesum.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * The digest algorithms treesum offers, by the names users type and the database stores.
 */
public enum HashAlgorithm {

	SHA256("sha256", () -> messageDigest("SHA-256")),

	SHA1("sha1", () -> messageDigest("SHA-1")),

	MD5("md5", () -> messageDigest("MD5")),

	XXH128("xxh128", Xxh128Hasher::new);

	private final String id;

	private final ThreadLocal<Hasher> hashers;

	HashAlgorithm(String id, Supplier<Hasher> factory) {
		this.id = id;
		this.hashers = ThreadLocal.withInitial(factory);
	}

	/**
	 * Return the name users type and the database stores, such as {@code sha256}.
	 * @return the algorithm's name
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return this thread's hasher for the algorithm, reset and ready for input.
	 * @return a hasher that only the calling thread may use
	 */
	public Hasher hasher() {
		Hasher hasher = this.hashers.get();
		hasher.reset();
		return hasher;
	}

	/**
	 * Look an algorithm up by its name, ignoring case.
	 * @param id the name, such as {@code sha256}
	 * @return the algorithm
	 * @throws IllegalArgumentException naming the algorithms there are
	 */
	public static HashAlgorithm of(String id) {
		for (HashAlgorithm algorithm : values()) {
			if (algorithm.id.equals(id.toLowerCase(Locale.ROOT))) {
				return algorithm;
			}
		}
		throw new IllegalArgumentException("unknown algorithm '" + id + "' (expected one of " + names() + ")");
	}

	/**
	 * Return the algorithm names, comma separated, for messages and help.
	 * @return the names
	 */
	public static String names() {
		return Arrays.stream(values()).map(HashAlgorithm::id).collect(Collectors.joining(", "));
	}

	private static Hasher messageDigest(String name) {
		try {
			return new MessageDigestHasher(MessageDigest.getInstance(name));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JVM lacks " + name, ex);
		}
	}

	private static final class MessageDigestHasher implements Hasher {

		private final MessageDigest digest;

		MessageDigestHasher(MessageDigest digest) {
			this.digest = digest;
		}

		@Override
		public void update(byte[] bytes, int offset, int length) {
			this.digest.update(bytes, offset, length);
		}

		@Override
		public byte[] digest() {
			return this.digest.digest();
		}

		@Override
		public void reset() {
			this.digest.reset();
		}

	}

	/**
	 * XXH3 128-bit, with the digest in the byte order {@code xxhsum -H2} prints.
	 */
	private static final class Xxh128Hasher implements Hasher {

		private final HashStream128 stream = Hashing.xxh3_128().hashStream();

		@Override
		public void update(byte[] bytes, int offset, int length) {
			this.stream.putBytes(bytes, offset, length);
		}

		@Override
		public byte[] digest() {
			HashValue128 value = this.stream.get();
			this.stream.reset();
			byte[] bytes = new byte[16];
			long high = value.getMostSignificantBits();
			long low = value.getLeastSignificantBits();
			for (int i = 0; i < 8; i++) {
				bytes[i] = (byte) (high >>> (56 - 8 * i));
				bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
			}
			return bytes;
		}

		@Override
		public void reset() {
			this.stream.reset();
		}

	}

}
