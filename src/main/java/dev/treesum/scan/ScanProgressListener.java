package dev.treesum.scan;

/**
 * Told how the partitions of a running scan get on, for whatever shows it to a person
 * (the job itself only logs). Every Spring bean of this type is told, from the thread of
 * each partition, when it starts, after each chunk it commits (never per file), and when
 * it ends. An implementation is quick, thread safe and does not throw.
 */
public interface ScanProgressListener {

	/**
	 * The logger of the progress lines a long partition logs every few seconds, which a
	 * display that shows the same may silence.
	 */
	String PROGRESS_LOGGER = "dev.treesum.scan.progress";

	/**
	 * A partition started, or resumed after its last committed chunk.
	 * @param partition the partition
	 * @param resumed whether it resumed, with files stored by an earlier attempt
	 */
	default void partitionStarted(MountPartition partition, boolean resumed) {
	}

	/**
	 * A chunk of a partition was committed.
	 * @param partition the partition
	 * @param files the entries in the chunk
	 * @param bytes the bytes they count
	 * @param errors the entries among them that could not be examined or hashed
	 */
	default void chunkWritten(MountPartition partition, long files, long bytes, long errors) {
	}

	/**
	 * A partition ended.
	 * @param partition the partition
	 * @param state how: completed, failed, stopped
	 */
	default void partitionEnded(MountPartition partition, String state) {
	}

}
