package dev.treesum.hash;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Throughput of recent samples as work per second, where work is bytes plus a cost per
 * file. The cost is learnt: it is the one that makes samples of the same concurrency
 * agree best, since a sample of small files and one of large files read at the same
 * concurrency took the file system the same effort per second. What disagreement remains
 * is the noise a comparison of two samples has to clear. Not thread-safe.
 */
final class ThroughputEstimator {

	/** Samples whose spread is measured: about the last 20 seconds at 300 ms each. */
	private static final int CAPACITY = 64;

	/**
	 * Ratios between successive samples needed before their spread replaces the prior.
	 */
	private static final int MIN_DEGREES = 6;

	/** A new cost must make the spread this much smaller to replace the current one. */
	private static final double IMPROVEMENT = 0.95;

	/**
	 * Log ratio spread between two samples of one concurrency assumed before any is seen.
	 */
	private static final double PRIOR_NOISE = 0.1;

	/** The median of a squared standard normal variable. */
	private static final double CHI_SQUARED_MEDIAN = 0.4549;

	private final double[] costs;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private double cost;

	private double noise = PRIOR_NOISE * PRIOR_NOISE;

	/**
	 * Create an estimator that tries costs from 1/32 to 32 times the initial one, and
	 * none.
	 * @param initialCost the bytes one file counts for until samples say otherwise
	 */
	ThroughputEstimator(long initialCost) {
		this.cost = initialCost;
		this.costs = new double[12];
		for (int i = 0; i < 11; i++) {
			this.costs[i] = initialCost * Math.pow(2, i - 5);
		}
		this.costs[11] = 0;
	}

	/** Return the bytes one file currently counts for. */
	double cost() {
		return this.cost;
	}

	/**
	 * Return the variance of the log ratio between two samples of the same concurrency.
	 */
	double noise() {
		return this.noise;
	}

	/** Return the logarithm of a sample's work per second at the current cost. */
	double rate(Sample sample) {
		return sample.rate(this.cost);
	}

	void add(Sample sample) {
		this.samples.addLast(sample);
		if (this.samples.size() > CAPACITY) {
			this.samples.removeFirst();
		}
		fit();
	}

	private void fit() {
		Spread current = spread(this.cost);
		if (current.degrees < MIN_DEGREES) {
			return;
		}
		Spread best = current;
		double bestCost = this.cost;
		for (double candidate : this.costs) {
			Spread spread = spread(candidate);
			if (spread.variance < best.variance && spread.variance < IMPROVEMENT * current.variance) {
				best = spread;
				bestCost = candidate;
			}
		}
		this.cost = bestCost;
		this.noise = best.variance;
	}

	/**
	 * The variance of the log ratio between successive samples of the same concurrency,
	 * from the median of the squared ratios: a change of the file system between two
	 * samples is one outlier, not a lasting rise of the noise.
	 */
	private Spread spread(double cost) {
		Map<Integer, Double> previous = new HashMap<>();
		double[] squares = new double[this.samples.size()];
		int count = 0;
		for (Sample sample : this.samples) {
			double rate = sample.rate(cost);
			Double before = previous.put(sample.level(), rate);
			if (before != null) {
				squares[count++] = (rate - before) * (rate - before);
			}
		}
		if (count == 0) {
			return new Spread(Double.NaN, 0);
		}
		Arrays.sort(squares, 0, count);
		double median = (count % 2 == 1) ? squares[count / 2] : (squares[count / 2 - 1] + squares[count / 2]) / 2;
		return new Spread(median / CHI_SQUARED_MEDIAN, count);
	}

	private record Spread(double variance, int degrees) {
	}

	/**
	 * What one measuring interval saw.
	 *
	 * @param level the files allowed in flight
	 * @param bytes the bytes read
	 * @param files the files completed
	 * @param seconds the time files were in flight
	 */
	record Sample(int level, long bytes, long files, double seconds) {

		double rate(double cost) {
			return Math.log(Math.max(1, this.bytes + cost * this.files) / this.seconds);
		}

	}

}
