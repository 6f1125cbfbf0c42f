package dev.treesum.hash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import dev.treesum.hash.ThroughputEstimator.Sample;

/**
 * How many files of one file system are read at once: a congestion-window style search
 * for the concurrency that maximises the throughput this file system delivers, because
 * parallel reads speed up flash, network and virtual disks and slow spinning ones down,
 * and the class a disk claims is only where the search starts. A fixed controller
 * ({@code --io-concurrency N}) never changes; neither kind has threads of its own.
 * <p>
 * Readers take a slot with {@link #acquire()} before opening a file and give it back with
 * {@link #completed(long)}; bytes reported with {@link #read(long)} as they are read keep
 * the measure smooth on large files.
 */
public final class IoConcurrencyController {

	/** Pairs of samples a trial takes before it may decide. */
	private static final int MIN_PAIRS = 2;

	/**
	 * Pairs after which a trial that could not tell decides for fewer files in flight.
	 */
	private static final int MAX_PAIRS = 8;

	/** One-sided bound, in standard errors, a difference must clear to count. */
	private static final double CONFIDENCE = 1.5;

	/** No measure is trusted to better than this, even when samples agree exactly. */
	private static final double NOISE_FLOOR = 0.03;

	/** Weight, in pairs, of the noise seen in recent samples against the trial's own. */
	private static final int PRIOR_PAIRS = 4;

	/** Samples a hold compares with its first two to notice a shift. */
	private static final int SHIFT_SAMPLES = 3;

	/** A sample short of files still closes after this many intervals (large files). */
	private static final int MAX_INTERVALS = 4;

	private enum Probe {

		UP, DOWN

	}

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition slotFreed = this.lock.newCondition();

	private final boolean fixed;

	private final int start;

	private final int min;

	private final int max;

	private final Tuning tuning;

	private final LongSupplier nanoClock;

	private int chosen;

	private int limit;

	private int highest;

	private int changes;

	private int inFlight;

	// The sample being measured: work done at the current limit since it started.

	private boolean sampling;

	private long drainSince;

	private long sampleStart;

	private long sampleIdle;

	private long idleSince = -1;

	private long sampleFiles;

	private long sampleBytes;

	private int samplePeak;

	// The trial under way, or null while holding.

	private Probe probe;

	private int candidate;

	private int pairs;

	private int slot;

	private final List<Sample> candidateSamples = new ArrayList<>();

	private final List<Sample> chosenSamples = new ArrayList<>();

	private Probe lastMove;

	private boolean movedInCycle;

	// Holding at the chosen level.

	private long holdUntil;

	private long holdNanos;

	private final List<Sample> heldSamples = new ArrayList<>();

	private final ThroughputEstimator estimator;

	private int candidateFilled;

	private double filesPerSecond = Double.NaN;

	private double bytesPerSecond = Double.NaN;

	private IoConcurrencyController(boolean fixed, int start, int min, int max, Tuning tuning, LongSupplier nanoClock) {
		if (min < 1 || max < min || start < min || start > max) {
			throw new IllegalArgumentException(
					"Concurrency must satisfy 1 <= min <= start <= max, not " + min + ", " + start + ", " + max);
		}
		this.fixed = fixed;
		this.start = start;
		this.min = min;
		this.max = max;
		this.tuning = tuning;
		this.nanoClock = nanoClock;
		this.estimator = new ThroughputEstimator(tuning.fileCost());
		this.chosen = start;
		this.limit = start;
		this.highest = start;
		if (!fixed && min < max) {
			this.lock.lock();
			try {
				long now = nanoClock.getAsLong();
				startSample(now);
				startTrial((start < max) ? Probe.UP : Probe.DOWN, now);
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Return a controller that always allows {@code limit} files at once.
	 * @param limit the files in flight
	 * @return the controller
	 */
	public static IoConcurrencyController fixed(int limit) {
		return new IoConcurrencyController(true, limit, limit, limit, Tuning.DEFAULTS, System::nanoTime);
	}

	/**
	 * Return a controller that searches for the best concurrency with the default tuning
	 * and the system's clock.
	 * @param start where to begin, from the disk's class
	 * @param min the fewest files in flight
	 * @param max the most files in flight
	 * @return the controller
	 */
	public static IoConcurrencyController adaptive(int start, int min, int max) {
		return adaptive(start, min, max, Tuning.DEFAULTS, System::nanoTime);
	}

	/**
	 * Return a controller that searches for the best concurrency.
	 * @param start where to begin, from the disk's class
	 * @param min the fewest files in flight
	 * @param max the most files in flight
	 * @param tuning how it measures and decides
	 * @param nanoClock monotonic nanoseconds, such as {@code System::nanoTime}, or a
	 * simulation's clock
	 * @return the controller
	 */
	static IoConcurrencyController adaptive(int start, int min, int max, Tuning tuning, LongSupplier nanoClock) {
		return new IoConcurrencyController(false, start, min, max, tuning, nanoClock);
	}

	/**
	 * Wait until fewer than {@link #limit()} files are in flight, then count one more.
	 * The caller's pool needs {@link #max()} threads for the limit to be reachable.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void acquire() throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (this.inFlight >= this.limit) {
				this.slotFreed.await();
			}
			started();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Count one more file in flight if fewer than {@link #limit()} are.
	 * @return whether a slot was taken
	 */
	public boolean tryAcquire() {
		this.lock.lock();
		try {
			if (this.inFlight >= this.limit) {
				return false;
			}
			started();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Report bytes just read by a file in flight.
	 * @param bytes the bytes read since the last report for that file
	 */
	public void read(long bytes) {
		this.lock.lock();
		try {
			record(0, bytes);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Report that a file in flight is done, read whole or not, and give its slot back.
	 * @param bytes the bytes it read that {@link #read(long)} has not reported
	 * @throws IllegalStateException if no file is in flight
	 */
	public void completed(long bytes) {
		this.lock.lock();
		try {
			if (this.inFlight == 0) {
				throw new IllegalStateException("No file is in flight");
			}
			this.inFlight--;
			if (!this.fixed && this.inFlight == 0) {
				this.idleSince = now();
			}
			record(1, bytes);
			this.slotFreed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many files may be in flight now: the chosen level, or during a trial the
	 * level it is compared with.
	 * @return the limit
	 */
	public int limit() {
		this.lock.lock();
		try {
			return this.limit;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the level the controller holds as best so far, which trials leave only when
	 * they show a better one.
	 * @return the chosen level
	 */
	public int chosen() {
		this.lock.lock();
		try {
			return this.chosen;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the highest level chosen so far.
	 * @return the highest chosen level
	 */
	public int highest() {
		this.lock.lock();
		try {
			return this.highest;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many times the chosen level changed.
	 * @return the number of changes
	 */
	public int changes() {
		this.lock.lock();
		try {
			return this.changes;
		}
		finally {
			this.lock.unlock();
		}
	}

	public int start() {
		return this.start;
	}

	public int min() {
		return this.min;
	}

	public int max() {
		return this.max;
	}

	/**
	 * Return whether the limit was given rather than searched for.
	 * @return whether the controller is fixed
	 */
	public boolean fixed() {
		return this.fixed;
	}

	/**
	 * Describe the controller for a log line, such as
	 * {@code auto: 6 (started at 4, highest 8, 3 changes; at 6: 812 files/s, 95.3 MB/s)}.
	 * @return the description
	 */
	public String describe() {
		this.lock.lock();
		try {
			if (this.fixed) {
				return "fixed: " + this.limit;
			}
			String measured = Double.isNaN(this.filesPerSecond) ? "not measured yet" : String.format(Locale.ROOT,
					"at %d: %.0f files/s, %.1f MB/s", this.chosen, this.filesPerSecond, this.bytesPerSecond / 1e6);
			return String.format(Locale.ROOT, "auto: %d (started at %d, highest %d, %d %s; %s)", this.chosen,
					this.start, this.highest, this.changes, (this.changes == 1) ? "change" : "changes", measured);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return describe();
	}

	private long now() {
		return this.nanoClock.getAsLong();
	}

	private void started() {
		if (!this.fixed && this.inFlight == 0 && this.idleSince >= 0) {
			// Time with nothing in flight measures the caller (a directory listing, a
			// commit), not the file system.
			this.sampleIdle += Math.max(0, now() - Math.max(this.idleSince, this.sampleStart));
			this.idleSince = -1;
		}
		this.inFlight++;
		this.samplePeak = Math.max(this.samplePeak, this.inFlight);
	}

	private void record(int files, long bytes) {
		if (this.fixed || this.min == this.max) {
			return;
		}
		long now = now();
		if (!this.sampling) {
			// Draining down to a lowered limit: the work of files started under the old
			// one measures neither level. Large files may take long to drain, so after an
			// interval their tail counts for the lower level, which only blurs the
			// difference a trial sees.
			if (this.inFlight <= this.limit || now - this.drainSince >= this.tuning.interval().toNanos()) {
				startSample(now);
			}
			return;
		}
		this.sampleFiles += files;
		this.sampleBytes += bytes;
		long busy = now - this.sampleStart - this.sampleIdle;
		long interval = this.tuning.interval().toNanos();
		if (busy < interval || (this.sampleFiles < (long) this.tuning.filesPerSlot() * this.limit
				&& busy < MAX_INTERVALS * interval)) {
			return;
		}
		if (this.sampleBytes == 0 && this.sampleFiles == 0) {
			return;
		}
		double seconds = busy / 1e9;
		Sample sample = new Sample(this.limit, this.sampleBytes, this.sampleFiles, seconds);
		boolean filled = this.samplePeak >= this.limit;
		if (this.limit == this.chosen) {
			this.filesPerSecond = this.sampleFiles / seconds;
			this.bytesPerSecond = this.sampleBytes / seconds;
		}
		this.estimator.add(sample);
		startSample(now);
		if (this.probe != null) {
			tried(sample, filled, now);
		}
		else {
			held(sample, now);
		}
	}

	private void startSample(long now) {
		this.sampling = true;
		this.sampleStart = now;
		this.sampleIdle = 0;
		this.sampleFiles = 0;
		this.sampleBytes = 0;
		this.samplePeak = this.inFlight;
		if (this.inFlight == 0) {
			this.idleSince = now;
		}
	}

	private void setLimit(int limit, long now) {
		if (limit == this.limit) {
			return;
		}
		this.limit = limit;
		if (this.inFlight <= limit) {
			startSample(now);
		}
		else {
			this.sampling = false;
			this.drainSince = now;
		}
		this.slotFreed.signalAll();
	}

	/**
	 * Compare the chosen level with one step up or down. Samples alternate in the order
	 * candidate, chosen, chosen, candidate, ... so that a drift in what is being read (a
	 * directory of small files after one of large ones) cancels out of the differences
	 * instead of favouring one level.
	 */
	private void startTrial(Probe probe, long now) {
		this.probe = probe;
		this.candidate = (probe == Probe.UP) ? up(this.chosen) : down(this.chosen);
		this.pairs = 0;
		this.slot = 0;
		this.candidateSamples.clear();
		this.chosenSamples.clear();
		this.candidateFilled = 0;
		setLimit(slotLevel(), now);
	}

	private int slotLevel() {
		boolean candidateFirst = this.pairs % 2 == 0;
		return (candidateFirst == (this.slot == 0)) ? this.candidate : this.chosen;
	}

	/**
	 * Steps are proportional, so that a level's gain stands out of the noise as well at
	 * 20 files as at 2: one more file on top of 20 could add 5 % at best.
	 */
	private int up(int level) {
		return Math.min(this.max, Math.max(level + 1, (int) Math.round(level * this.tuning.step())));
	}

	private int down(int level) {
		return Math.max(this.min, Math.min(level - 1, (int) Math.round(level / this.tuning.step())));
	}

	private void tried(Sample sample, boolean filled, long now) {
		if (sample.level() == this.candidate) {
			this.candidateSamples.add(sample);
			if (filled) {
				this.candidateFilled++;
			}
		}
		else {
			this.chosenSamples.add(sample);
		}
		if (++this.slot < 2) {
			setLimit(slotLevel(), now);
			return;
		}
		this.slot = 0;
		this.pairs++;
		Boolean accepted = verdict();
		if (accepted == null) {
			setLimit(slotLevel(), now);
		}
		else {
			conclude(accepted, now);
		}
	}

	/**
	 * A sequential test on the mean log ratio of candidate to chosen, over pairs of
	 * samples taken one after the other. A step up must show, with confidence, a gain
	 * above the {@link Tuning#gain() gain} margin; a step down is taken unless it shows,
	 * with confidence, a loss beyond the {@link Tuning#tolerance() tolerance}. The
	 * asymmetry settles near the knee of a curve that rises and then flattens, and on the
	 * fewer files when the test cannot tell, which is the safe side for a spinning disk.
	 */
	private Boolean verdict() {
		int pairs = this.pairs;
		if (pairs < MIN_PAIRS) {
			return null;
		}
		// Recomputed from the samples each time: the cost per file they are weighed with
		// may have been refined since they were taken.
		double sum = 0;
		double squares = 0;
		for (int i = 0; i < pairs; i++) {
			double difference = this.estimator.rate(this.candidateSamples.get(i))
					- this.estimator.rate(this.chosenSamples.get(i));
			sum += difference;
			squares += difference * difference;
		}
		double mean = sum / pairs;
		double residual = Math.max(0, squares - pairs * mean * mean);
		double variance = (PRIOR_PAIRS * this.estimator.noise() + residual) / (PRIOR_PAIRS + pairs - 1);
		double bound = CONFIDENCE * Math.sqrt(Math.max(variance, NOISE_FLOOR * NOISE_FLOOR) / pairs);
		double threshold = (this.probe == Probe.UP) ? Math.log1p(this.tuning.gain())
				: Math.log1p(-this.tuning.tolerance());
		if (mean - bound > threshold) {
			// More files than the caller ever kept in flight cannot be what helped.
			return this.probe == Probe.DOWN || 2 * this.candidateFilled >= this.candidateSamples.size();
		}
		if (mean + bound < threshold) {
			return false;
		}
		if (pairs >= MAX_PAIRS) {
			return this.probe == Probe.DOWN;
		}
		return null;
	}

	private void conclude(boolean accepted, long now) {
		Probe tried = this.probe;
		Probe next;
		if (accepted) {
			choose(this.candidate);
			this.lastMove = tried;
			this.movedInCycle = true;
			next = tried;
		}
		else {
			// A step up that fails right after a step up needs no step down: the level
			// below was just beaten.
			next = (tried == Probe.UP && this.lastMove != Probe.UP) ? Probe.DOWN : null;
		}
		if ((next == Probe.UP && this.chosen >= this.max) || (next == Probe.DOWN && this.chosen <= this.min)) {
			next = null;
		}
		if (next != null) {
			startTrial(next, now);
		}
		else {
			hold(accepted ? this.candidateSamples : this.chosenSamples, now);
		}
	}

	private void choose(int level) {
		this.chosen = level;
		this.highest = Math.max(this.highest, level);
		this.changes++;
	}

	/**
	 * Stay at the chosen level for a while, twice as long each time a search confirms it,
	 * so that probing costs little once settled yet follows a file system whose load
	 * changes. A lasting shift of the throughput ends the hold at once.
	 */
	private void hold(List<Sample> reference, long now) {
		this.probe = null;
		this.holdNanos = (this.movedInCycle || this.holdNanos == 0) ? this.tuning.hold().toNanos()
				: Math.min(2 * this.holdNanos, this.tuning.maxHold().toNanos());
		this.holdUntil = now + this.holdNanos;
		// The shift is measured from the trial's last samples of the level held, so that
		// a change during the trial is seen too.
		this.heldSamples.clear();
		this.heldSamples.addAll(reference.subList(Math.max(0, reference.size() - 2), reference.size()));
		this.movedInCycle = false;
		this.lastMove = null;
		setLimit(this.chosen, now);
	}

	private void held(Sample sample, long now) {
		this.heldSamples.add(sample);
		int count = this.heldSamples.size();
		if (count >= 2 + SHIFT_SAMPLES) {
			double before = (this.estimator.rate(this.heldSamples.get(0))
					+ this.estimator.rate(this.heldSamples.get(1))) / 2;
			double after = 0;
			for (int i = count - SHIFT_SAMPLES; i < count; i++) {
				after += this.estimator.rate(this.heldSamples.get(i)) / SHIFT_SAMPLES;
			}
			if (Math.abs(after - before) > Math.log1p(this.tuning.shift())) {
				this.holdNanos = 0;
				this.holdUntil = now;
			}
		}
		if (now - this.holdUntil >= 0) {
			startTrial((this.chosen < this.max) ? Probe.UP : Probe.DOWN, now);
		}
	}

	/**
	 * How the controller measures and decides.
	 *
	 * @param interval the least busy time a sample covers: long enough to average out a
	 * device's jitter, short enough to search a level in about a second
	 * @param filesPerSlot the files a sample also waits for, per file allowed in flight,
	 * so that the few files straddling its ends, up to one per slot, hardly count; a
	 * sample of large files closes after four intervals anyway, measured by their bytes
	 * @param fileCost the bytes one file counts for besides its own: the work measure is
	 * bytes plus files times this, because bytes per second alone calls a directory of
	 * small files idle and favours large ones, and files per second alone ignores size;
	 * 128 KiB is about what a flash or network device reads in the time an open and a
	 * first read take
	 * @param gain the least gain in throughput a step up must show
	 * @param tolerance the most loss in throughput a step down may show and still be
	 * taken, since fewer files in flight that read as fast are better
	 * @param step the factor between a level and the next one tried
	 * @param hold how long to stay at a level after the search moved to it
	 * @param maxHold the longest stay, reached by doubling while searches confirm a level
	 * @param shift the change of throughput, as a fraction, that ends a stay early
	 */
	record Tuning(Duration interval, int filesPerSlot, long fileCost, double gain, double tolerance, double step,
			Duration hold, Duration maxHold, double shift) {

		/**
		 * A step of a quarter needs 5 % more throughput: more files in flight that buy
		 * less than that only add memory and contention.
		 */
		static final Tuning DEFAULTS = new Tuning(Duration.ofMillis(300), 8, 128 * 1024, 0.05, 0.02, 1.25,
				Duration.ofSeconds(2), Duration.ofSeconds(16), 0.3);

		Tuning {
			if (interval.isNegative() || interval.isZero() || filesPerSlot < 0 || fileCost < 0 || gain < 0
					|| tolerance < 0 || tolerance >= 1 || step <= 1 || hold.isNegative() || maxHold.compareTo(hold) < 0
					|| shift <= 0) {
				throw new IllegalArgumentException("Invalid tuning: interval " + interval + ", files per slot "
						+ filesPerSlot + ", file cost " + fileCost + ", gain " + gain + ", tolerance " + tolerance
						+ ", step " + step + ", hold " + hold + " to " + maxHold + ", shift " + shift);
			}
		}

	}

}
