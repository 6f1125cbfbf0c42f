-- Reports that stay fast at millions of file rows per scan and thousands of scans. The
-- figures behind each change come from ReportQueryBenchmark (two scans of a million rows,
-- two thousand earlier scans); the answers are the same as V5's.

-- The status views look up each scan's job executions and each partition's step
-- executions; Spring Batch's schema indexes neither, so every lookup read the whole table:
-- quadratic in the number of scans (latest completed scan: 160 ms at two thousand scans).
create index treesum_batch_job_execution_instance on batch_job_execution (job_instance_id);

create index treesum_batch_step_execution_job on batch_step_execution (job_execution_id, step_name);

-- Changes: one full join of the two scans by path finds every difference in a single pass;
-- only those few rows are kept, and moves are paired among them by window functions.
-- (V5 materialized both scans whole and joined them three times, spilling to disk, then
-- paired moves by nested loops whose cost grew with the square of the moves.)
-- The join is a merge of the two scans read in path order through the primary key: no
-- memory, no spill, and only the two scans' rows are read however many scans the table
-- holds. The planner would rather read the whole table twice and hash it: it cannot know
-- that a scan's rows lie together, in nearly path (walk) order, so the plan is fixed here.
-- Measured at 1M rows a scan: 1.0 s merged against 1.6 s hashed with 2 scans in the
-- table, 3.3 s with 9.
create or replace function treesum_changes(scan bigint, base bigint)
returns table (change text, path text, previous_path text, size bigint, previous_digest text, digest text)
language sql stable
set enable_hashjoin = off
set enable_seqscan = off
set enable_bitmapscan = off
as $$
	with differences as materialized (
		select n.path as new_path, o.path as old_path, n.path_text as new_text, o.path_text as old_text,
			n.size as new_size, o.size as old_size, n.mtime_ns as new_mtime, o.mtime_ns as old_mtime,
			n.digest as new_digest, o.digest as old_digest
		from (
			select f.path, f.path_text, f.size, f.mtime_ns, f.digest
			from treesum_file f
			where f.scan_id = scan and f.kind = 'file'
		) n
		full join (
			select f.path, f.path_text, f.size, f.mtime_ns, f.digest
			from treesum_file f
			where f.scan_id = base and f.kind = 'file'
		) o on o.path = n.path
		where n.path is null or o.path is null
			or (n.digest is not null and o.digest is not null and n.digest <> o.digest)
			or n.size is distinct from o.size
			or n.mtime_ns is distinct from o.mtime_ns
	),
	-- Added and deleted files, numbered within each side's files of one digest and size.
	ranked as (
		select case when d.old_path is null then 'added' else 'deleted' end as side,
			coalesce(d.new_path, d.old_path) as path,
			coalesce(d.new_text, d.old_text) as path_text,
			coalesce(d.new_size, d.old_size) as size,
			coalesce(d.new_digest, d.old_digest) as digest,
			row_number() over (partition by d.old_path is null, coalesce(d.new_digest, d.old_digest),
				coalesce(d.new_size, d.old_size) order by coalesce(d.new_path, d.old_path)) as rank
		from differences d
		where d.new_path is null or d.old_path is null
	),
	-- The n-th added and the n-th deleted file of one digest and size are a move: one to one.
	paired as (
		select r.side, r.path, r.path_text, r.size, r.digest,
			r.digest is not null and count(*) over pair = 2 as moved,
			max(r.path_text) filter (where r.side = 'deleted') over pair as previous_path
		from ranked r
		window pair as (partition by r.digest, r.size, r.rank)
	)
	select case when p.moved then 'moved' else p.side end, p.path_text,
		case when p.moved then p.previous_path end, p.size,
		case when p.side = 'deleted' or p.moved then encode(p.digest, 'hex') end,
		case when p.side = 'added' then encode(p.digest, 'hex') end
	from paired p
	where not (p.moved and p.side = 'deleted')
	union all
	select case
			when d.new_digest is not null and d.old_digest is not null and d.new_digest <> d.old_digest
				and d.new_size = d.old_size and d.new_mtime = d.old_mtime then 'corrupted'
			else 'modified'
		end,
		d.new_text, null, d.new_size, encode(d.old_digest, 'hex'), encode(d.new_digest, 'hex')
	from differences d
	where d.new_path is not null and d.old_path is not null
$$;

-- Duplicates: the digests and sizes that occur more than once come from the digest index
-- alone; only their files are then read, each through the same index. (V5 read every file
-- of the scan in digest order, a random read of the whole scan, and sorted it on disk.)
-- The lateral subquery's offset 0 keeps it a lookup per candidate.
create or replace function treesum_duplicates(scan bigint, include_empty boolean default false)
returns table ("group" bigint, digest text, size bigint, path text)
language sql stable as $$
	with candidates as materialized (
		select f.digest, f.size
		from treesum_file f
		where f.scan_id = scan and f.kind = 'file' and f.digest is not null
			and (include_empty or f.size > 0)
		group by f.digest, f.size
		having count(*) > 1
	),
	-- Hard links to one inode are one file; the first of their paths stands for them.
	files as (
		select distinct on (f.digest, f.size, f.device, f.inode) f.digest, f.size, f.path, f.path_text
		from candidates c
		cross join lateral (
			select f.digest, f.size, f.device, f.inode, f.path, f.path_text
			from treesum_file f
			where f.scan_id = scan and f.kind = 'file' and f.digest = c.digest and f.size = c.size
			offset 0
		) f
		order by f.digest, f.size, f.device, f.inode, f.path
	),
	counted as (
		select f.digest, f.size, f.path, f.path_text, count(*) over (partition by f.digest, f.size) as copies
		from files f
	)
	select dense_rank() over (order by c.size desc, c.digest), encode(c.digest, 'hex'), c.size, c.path_text
	from counted c
	where c.copies > 1
	order by 1, c.path
$$;
