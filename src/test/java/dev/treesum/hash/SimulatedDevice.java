package dev.treesum.hash;

import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * A deterministic discrete-event simulation of a file system read through an
 * {@link IoConcurrencyController}: its throughput is a function of the files in flight
 * (and of time, for a device whose load changes), shared equally among them, files of
 * mixed sizes come in runs as directories do, and a seeded random factor adds noise. The
 * controller's clock is the simulated one, so minutes of reading take milliseconds.
 */
final class SimulatedDevice {

	private static final double TICK = 0.010;

	private static final int TICKS_PER_NOISE = 5;

	private static final int TICKS_PER_RECORD = 10;

	private final Curve curve;

	private final Random random;

	private double noise;

	/** Work each file costs besides its bytes: a millisecond at 200 MB/s. */
	private final double fileOverhead = 200 * 1024;

	private int readerLimit = Integer.MAX_VALUE;

	private boolean reportsReads = true;

	private int levels = 32;

	private double seconds;

	private int runLeft;

	private int runKind;

	SimulatedDevice(Curve curve, long seed) {
		this.curve = curve;
		this.random = new Random(seed);
	}

	/**
	 * Multiply the throughput by a log-normal factor of mean 1, redrawn every 50 ms.
	 * @param sigma the standard deviation of its logarithm
	 * @return this device
	 */
	SimulatedDevice noise(double sigma) {
		this.noise = sigma;
		return this;
	}

	/**
	 * Let the reader keep at most this many files in flight, whatever the controller
	 * allows, as a walk that cannot list files faster would.
	 * @param files the most files in flight
	 * @return this device
	 */
	SimulatedDevice readerLimit(int files) {
		this.readerLimit = files;
		return this;
	}

	/**
	 * Report files only when they complete, never their bytes as they are read.
	 * @return this device
	 */
	SimulatedDevice completionsOnly() {
		this.reportsReads = false;
		return this;
	}

	/**
	 * Judge throughput against the best of levels 1 to {@code max}, the range an adaptive
	 * controller may search, also when a fixed one runs.
	 * @param max the highest level
	 * @return this device
	 */
	SimulatedDevice levels(int max) {
		this.levels = max;
		return this;
	}

	long nanoTime() {
		return Math.round(this.seconds * 1e9);
	}

	Trace run(IoConcurrencyController controller, double duration) {
		List<File> flight = new ArrayList<>();
		Trace trace = new Trace(this.curve, this.levels);
		double factor = 1;
		double work = 0;
		long bytes = 0;
		long files = 0;
		long tick = 0;
		trace.record(this.seconds, controller, work, bytes, files);
		while (this.seconds < duration) {
			while (flight.size() < this.readerLimit && controller.tryAcquire()) {
				flight.add(nextFile());
			}
			int n = flight.size();
			double perFile = this.curve.rate(n, this.seconds) * factor / n;
			double nextTick = (tick + 1) * TICK;
			File first = flight.get(0);
			for (File file : flight) {
				if (file.remaining < first.remaining) {
					first = file;
				}
			}
			double step = Math.min(first.remaining / perFile, nextTick - this.seconds);
			boolean ticked = step >= nextTick - this.seconds;
			this.seconds = ticked ? nextTick : this.seconds + step;
			double done = perFile * step;
			work += done * n;
			List<File> finished = new ArrayList<>();
			for (File file : flight) {
				file.remaining -= done;
				long read = file.read();
				bytes += read - file.counted;
				file.counted = read;
				if (file.remaining <= 1e-6 || file == first && !ticked) {
					finished.add(file);
				}
			}
			for (File file : finished) {
				flight.remove(file);
				bytes += file.size - file.counted;
				files++;
				controller.completed(file.size - file.reported);
			}
			if (ticked) {
				tick++;
				if (this.reportsReads) {
					for (File file : flight) {
						long read = file.read();
						if (read > file.reported) {
							controller.read(read - file.reported);
							file.reported = read;
						}
					}
				}
				if (this.noise > 0 && tick % TICKS_PER_NOISE == 0) {
					factor = Math.exp(this.noise * this.random.nextGaussian() - this.noise * this.noise / 2);
				}
				if (tick % TICKS_PER_RECORD == 0) {
					trace.record(this.seconds, controller, work, bytes, files);
				}
			}
		}
		return trace;
	}

	/**
	 * Sizes come in runs, as a walk meets them directory by directory: many small files,
	 * a hundred of mixed sizes, or a few large ones.
	 */
	private File nextFile() {
		if (this.runLeft == 0) {
			double kind = this.random.nextDouble();
			this.runKind = (kind < 0.45) ? 0 : (kind < 0.9) ? 1 : 2;
			this.runLeft = new int[] { 400, 100, 4 }[this.runKind];
		}
		this.runLeft--;
		double[][] bounds = { { 100, 64 * 1024 }, { 1024, 8 << 20 }, { 8 << 20, 256 << 20 } };
		double low = Math.log(bounds[this.runKind][0]);
		double high = Math.log(bounds[this.runKind][1]);
		return new File((long) Math.exp(low + this.random.nextDouble() * (high - low)), this.fileOverhead);
	}

	/** Throughput, in bytes of work per second, as a function of the files in flight. */
	interface Curve {

		double rate(int inFlight, double seconds);

		/** Rises in proportion to the files in flight up to {@code knee}, then flat. */
		static Curve peakAt(int knee, double peak) {
			return (n, t) -> peak * Math.min(n, knee) / knee;
		}

		/** Best with one file in flight, each further one costing seeks. */
		static Curve spinning(double peak, double lossPerFile) {
			return (n, t) -> peak / (1 + lossPerFile * (n - 1));
		}

		/**
		 * The same throughput whatever the files in flight, as when hashing is the limit.
		 */
		static Curve flat(double peak) {
			return (n, t) -> peak;
		}

		/** Rises up to {@code knee}, then falls as contention thrashes the device. */
		static Curve peakThenFalling(int knee, double peak, double lossPerFile) {
			return (n, t) -> (n <= knee) ? peak * n / knee : peak / (1 + lossPerFile * (n - knee));
		}

		/** This curve until {@code at} seconds, then {@code next}. */
		default Curve then(double at, Curve next) {
			return (n, t) -> (t < at) ? rate(n, t) : next.rate(n, t);
		}

		/** The highest throughput any level in [min, max] gives at {@code seconds}. */
		default double best(int min, int max, double seconds) {
			double best = 0;
			for (int n = min; n <= max; n++) {
				best = Math.max(best, rate(n, seconds));
			}
			return best;
		}

	}

	/** What the controller did and what was read, every 100 ms of simulated time. */
	static final class Trace {

		private final Curve curve;

		private final int max;

		private final List<double[]> rows = new ArrayList<>();

		private Trace(Curve curve, int max) {
			this.curve = curve;
			this.max = max;
		}

		private void record(double seconds, IoConcurrencyController controller, double work, long bytes, long files) {
			this.rows.add(new double[] { seconds, controller.limit(), controller.chosen(), work, files, bytes });
		}

		/**
		 * Return the first time from which the chosen level stays in {@code band} up to
		 * {@code until}, or infinity if it is not in the band then.
		 */
		double settledIn(IntPredicate band, double until) {
			double since = Double.POSITIVE_INFINITY;
			for (double[] row : this.rows) {
				if (row[0] > until) {
					break;
				}
				if (!band.test((int) row[2])) {
					since = Double.POSITIVE_INFINITY;
				}
				else if (since == Double.POSITIVE_INFINITY) {
					since = row[0];
				}
			}
			return since;
		}

		/**
		 * Return each change of the limit or of the chosen level, as
		 * {@code seconds:limit/chosen}, for comparing two runs.
		 */
		List<String> timeline() {
			List<String> changes = new ArrayList<>();
			double[] previous = null;
			for (double[] row : this.rows) {
				if (previous == null || row[1] != previous[1] || row[2] != previous[2]) {
					changes.add(String.format(Locale.ROOT, "%.1f:%d/%d", row[0], (int) row[1], (int) row[2]));
				}
				previous = row;
			}
			return changes;
		}

		/** The chosen levels between the two times, each once, in the order chosen. */
		List<Integer> chosenLevels(double from, double to) {
			List<Integer> levels = new ArrayList<>();
			for (double[] row : window(from, to)) {
				if (levels.isEmpty() || levels.get(levels.size() - 1) != (int) row[2]) {
					levels.add((int) row[2]);
				}
			}
			return levels;
		}

		IntSummaryStatistics chosen(double from, double to) {
			return column(2, from, to);
		}

		IntSummaryStatistics limits(double from, double to) {
			return column(1, from, to);
		}

		/** Changes of the chosen level between the two times. */
		int changes(double from, double to) {
			int changes = 0;
			double previous = Double.NaN;
			for (double[] row : window(from, to)) {
				if (!Double.isNaN(previous) && row[2] != previous) {
					changes++;
				}
				previous = row[2];
			}
			return changes;
		}

		/**
		 * The work done between the two times over what the best level would have done.
		 */
		double efficiency(double from, double to) {
			List<double[]> window = window(from, to);
			double best = 0;
			for (int i = 1; i < window.size(); i++) {
				double[] row = window.get(i);
				best += this.curve.best(1, this.max, row[0]) * (row[0] - window.get(i - 1)[0]);
			}
			return (window.get(window.size() - 1)[3] - window.get(0)[3]) / best;
		}

		/** The bytes of files read per second between the two times. */
		double bytesPerSecond(double from, double to) {
			List<double[]> window = window(from, to);
			double[] first = window.get(0);
			double[] last = window.get(window.size() - 1);
			return (last[5] - first[5]) / (last[0] - first[0]);
		}

		private IntSummaryStatistics column(int column, double from, double to) {
			IntSummaryStatistics statistics = new IntSummaryStatistics();
			window(from, to).forEach((row) -> statistics.accept((int) row[column]));
			return statistics;
		}

		private List<double[]> window(double from, double to) {
			return this.rows.stream().filter((row) -> row[0] >= from - 1e-9 && row[0] <= to + 1e-9).toList();
		}

	}

	private static final class File {

		private final long size;

		private final double overhead;

		private final double work;

		private double remaining;

		private long reported;

		private long counted;

		private File(long size, double overhead) {
			this.size = size;
			this.overhead = overhead;
			this.work = overhead + size;
			this.remaining = this.work;
		}

		/** Bytes read so far: the overhead comes first, then the content. */
		private long read() {
			return (long) Math.max(0, Math.min(this.size, this.work - this.remaining - this.overhead));
		}

	}

}
