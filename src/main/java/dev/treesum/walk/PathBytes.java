package dev.treesum.walk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;

/**
 * The exact bytes of a file name, and a readable text form of them. On Linux a name is
 * any bytes but {@code /} and NUL; {@link Path#toString()} decodes them with the locale's
 * charset, which loses every name that is not valid UTF-8 and, under the POSIX locale
 * that containers often have, every non-ASCII one. The JDK keeps the raw bytes inside
 * {@code sun.nio.fs.UnixPath}, which the jar opens with its {@code Add-Opens} manifest
 * entry.
 */
public final class PathBytes {

	private static final MethodHandle AS_BYTE_ARRAY = asByteArrayHandle();

	private static final MethodHandle FROM_BYTES = fromBytesHandle();

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private PathBytes() {
	}

	/**
	 * Return the raw bytes of a path, exactly as the kernel knows them.
	 * @param path a path of the default file system
	 * @return the bytes, a new array the caller owns
	 */
	public static byte[] of(Path path) {
		return raw(path).clone();
	}

	/**
	 * Return the path with exactly the given bytes, which no string can name when they
	 * are not valid in the JVM's file name encoding (any non-ASCII byte under the POSIX
	 * locale).
	 * @param bytes an absolute path without {@code .}, {@code ..}, repeated or trailing
	 * slashes, as the kernel reports mount points
	 * @return the path
	 */
	public static Path path(byte[] bytes) {
		try {
			return (Path) FROM_BYTES.invokeExact(Path.of("/").getFileSystem(), bytes.clone());
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot make a path of raw bytes", ex);
		}
	}

	/**
	 * Return the path's own byte array, which must not be changed.
	 */
	static byte[] raw(Path path) {
		try {
			return (byte[]) AS_BYTE_ARRAY.invokeExact(path);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Cannot read the bytes of a path", ex);
		}
	}

	/**
	 * Return a readable form: valid UTF-8 as it is, every byte of an invalid sequence as
	 * {@code \xNN}. Two different names can share a text form; the bytes are the
	 * identity.
	 * @param bytes the raw bytes
	 * @return the text
	 */
	public static String text(byte[] bytes) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(bytes);
		CharBuffer out = CharBuffer.allocate(bytes.length * 4);
		while (true) {
			CoderResult result = decoder.decode(in, out, true);
			if (result.isUnderflow()) {
				break;
			}
			if (result.isError()) {
				for (int i = 0; i < result.length(); i++) {
					int b = in.get() & 0xff;
					out.put('\\').put('x').put(HEX[b >>> 4]).put(HEX[b & 0xf]);
				}
			}
		}
		decoder.flush(out);
		return out.flip().toString();
	}

	private static MethodHandle fromBytesHandle() {
		Class<?> unixPath = Path.of("/").getClass();
		try {
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
			Class<?> unixFileSystem = lookup.findClass("sun.nio.fs.UnixFileSystem");
			return lookup.findConstructor(unixPath, MethodType.methodType(void.class, unixFileSystem, byte[].class))
				.asType(MethodType.methodType(Path.class, FileSystem.class, byte[].class));
		}
		catch (ReflectiveOperationException | IllegalAccessError | RuntimeException ex) {
			throw new IllegalStateException("treesum makes paths of raw file names with " + unixPath.getName()
					+ " and needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED"
					+ " (java -jar treesum.jar sets it)", ex);
		}
	}

	private static MethodHandle asByteArrayHandle() {
		Class<?> unixPath = Path.of("/").getClass();
		try {
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
			return lookup.findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class))
				.asType(MethodType.methodType(byte[].class, Path.class));
		}
		catch (ReflectiveOperationException | IllegalAccessError | RuntimeException ex) {
			throw new IllegalStateException("treesum reads raw file names from " + unixPath.getName()
					+ " and needs the JVM option --add-opens java.base/sun.nio.fs=ALL-UNNAMED"
					+ " (java -jar treesum.jar sets it)", ex);
		}
	}

}
