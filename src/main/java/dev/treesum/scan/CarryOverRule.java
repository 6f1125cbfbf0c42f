package dev.treesum.scan;

import dev.treesum.walk.FileEntry;

/**
 * When an incremental scan may take a file's previous digest unread, and which of those
 * files it reads again anyway to catch silent corruption ({@code --reverify}): the ones
 * verified longest ago, up to a budget of bytes, the first file past the budget included.
 * Every file is thus read again within {@code ceil(100 / PERCENT)} scans.
 *
 * @param carries whether digests may be carried over at all
 * @param ageStep the scans of the series between the previous scan and this one
 * @param cutoffAge the previous verification age of the last file to read again, or
 * {@link Integer#MAX_VALUE} for none
 * @param cutoffPathNo the path number of that file
 */
record CarryOverRule(boolean carries, int ageStep, int cutoffAge, int cutoffPathNo) {

	/** Reads every file: a full scan. */
	static final CarryOverRule NONE = new CarryOverRule(false, 0, Integer.MIN_VALUE, 0);

	/**
	 * Plan what a partition carries over: nothing for a full scan or a root the previous
	 * scan did not walk; with {@code --reverify}, a budget of bytes to read again of what
	 * could be carried over, less what the previous scan read beyond its own budget.
	 * @param scan the scan
	 * @param partition the partition
	 * @param partitions where the previous scan's partitions are
	 * @return the rule
	 */
	static CarryOverRule plan(ScanSettings scan, MountPartition partition, PartitionRepository partitions) {
		ScanSettings.PreviousScan previous = scan.carriedFrom();
		PartitionRepository.EarlierPartition earlier = (previous != null)
				? partitions.earlier(previous.id(), partition.rootBytes()).orElse(null) : null;
		if (earlier == null) {
			return NONE;
		}
		int ageStep = scan.seriesNo() - previous.seriesNo();
		if (scan.reverifyPercent() <= 0) {
			return new CarryOverRule(true, ageStep, Integer.MAX_VALUE, 0);
		}
		long total = partitions.carriedBytes(previous.id(), earlier.part());
		// Rounded up, so that ceil(100 / PERCENT) budgets add up to every byte.
		long budget = (long) Math.ceil(total * scan.reverifyPercent() / 100) - earlier.reverifyExcess();
		partitions.recordReverifyBudget(scan.id(), partition.part(), budget);
		int[] cutoff = (budget > 0) ? partitions.reverifyCutoff(previous.id(), earlier.part(), budget) : null;
		return (cutoff != null) ? new CarryOverRule(true, ageStep, cutoff[0], cutoff[1])
				: new CarryOverRule(true, ageStep, Integer.MAX_VALUE, 0);
	}

	/**
	 * Return whether a regular file is as the previous scan recorded it: same size,
	 * modification time, change time and inode. A rewrite that restores the modification
	 * time still changes the change time, which no user can set.
	 * @param entry the file as listed now
	 * @param previous the file as recorded, or {@code null}
	 * @return whether its previous digest may stand
	 */
	boolean unchanged(FileEntry entry, PreviousEntry previous) {
		return this.carries && previous != null && previous.size() == entry.size()
				&& previous.mtimeNanos() == entry.mtimeNanos() && previous.ctimeNanos() == entry.ctimeNanos()
				&& previous.inode() == entry.inode();
	}

	/**
	 * Return whether an unchanged file is read again to verify its digest: it is among
	 * the files verified longest ago, in order of age and then path number.
	 * @param previous the file as recorded
	 * @param pathNo its path number
	 * @return whether to read it
	 */
	boolean reverify(PreviousEntry previous, int pathNo) {
		return previous.verifiedAge() > this.cutoffAge
				|| (previous.verifiedAge() == this.cutoffAge && pathNo <= this.cutoffPathNo);
	}

	/**
	 * Return the verification age a carried-over digest has in this scan.
	 * @param previous the file as recorded
	 * @return its age, in scans of the series
	 */
	int carriedAge(PreviousEntry previous) {
		return (int) Math.min(Short.MAX_VALUE, (long) previous.verifiedAge() + this.ageStep);
	}

}
