package dev.treesum.walk;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Turns the I/O errors met while walking and reading into a status and a short message
 * for the record; the path is in the record already, so the message does not repeat it.
 */
public final class IoErrors {

	private IoErrors() {
	}

	public static FileStatus status(IOException ex) {
		if (ex instanceof NoSuchFileException) {
			return FileStatus.VANISHED;
		}
		if (ex instanceof AccessDeniedException) {
			return FileStatus.UNREADABLE;
		}
		return FileStatus.IO_ERROR;
	}

	public static String message(IOException ex) {
		if (ex instanceof FileSystemException fs && fs.getReason() != null) {
			return fs.getReason();
		}
		if (ex instanceof NoSuchFileException) {
			return "No such file or directory";
		}
		if (ex instanceof AccessDeniedException) {
			return "Permission denied";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

}
