package dev.treesum.hash;

/**
 * A streaming digest: bytes go in, a digest comes out and the hasher is ready for the
 * next input. Instances are not thread-safe; {@link HashAlgorithm#hasher()} hands out one
 * per thread.
 */
public interface Hasher {

	void update(byte[] bytes, int offset, int length);

	/**
	 * Return the digest of everything given since the last call and reset.
	 * @return the digest bytes, in the algorithm's canonical order
	 */
	byte[] digest();

	/**
	 * Discard whatever was given since the last digest.
	 */
	void reset();

}
