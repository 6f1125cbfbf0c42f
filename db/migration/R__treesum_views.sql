-- The views and report functions: what status and the reports read, and what analysts query
-- from psql. Repeatable: edit in place; a view's existing columns keep their names and order
-- (new ones go at the end).

-- Every entry of every scan, readable: kinds and statuses as words, paths as bytes and text.
-- Query it for one scan (where scan_id = ...): each scan's rows are a partition of their own.
create or replace view treesum_file as
select e.scan_id,
	p.name as partition_name,
	d.path,
	treesum_path_text(d.path) as path_text,
	treesum_kind(sh.kind) as kind,
	treesum_status(e.status) as status,
	e.size,
	e.mtime_ns,
	e.ctime_ns,
	e.inode,
	p.device,
	nullif(sh.links, -1) as links,
	case when sh.kind = 'f' then e.content end as digest,
	case when sh.kind = 'l' then e.content end as link_target,
	er.message as error,
	coalesce(e.verified_age > 0, false) as carried_over,
	nullif(sh.mode, -1) as mode,
	nullif(sh.uid, -1) as uid,
	nullif(sh.gid, -1) as gid,
	e.verified_age,
	v.id as verified_scan,
	v.created_at as verified_at,
	e.path_no,
	sh.part
from treesum_entry e
join treesum_scan s on s.id = e.scan_id
join treesum_path d on d.series_id = s.series_id and d.path_no = e.path_no
join treesum_shape sh on sh.id = e.shape_id
join treesum_partition p on p.scan_id = e.scan_id and p.part = sh.part
left join treesum_error er on er.scan_id = e.scan_id and er.path_no = e.path_no
left join treesum_scan v on v.series_id = s.series_id and v.series_no = s.series_no - e.verified_age;

-- Every scan at a glance: what status shows. The Spring Batch step of partition N is
-- 'mountStep:partition-N'.
create or replace view treesum_scan_status as
select s.id as scan_id,
	s.host,
	s.roots,
	s.algorithm,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.attempts, 0) as attempts,
	coalesce(p.partitions, 0) as partitions,
	coalesce(p.partitions_done, 0) as partitions_done,
	coalesce(p.files, 0) as files,
	coalesce(p.bytes, 0) as bytes,
	coalesce(p.errors, 0) as errors,
	s.created_at,
	runs.first_start as started_at,
	last.end_time as ended_at,
	last.exit_message,
	s.owner_machine,
	s.owner_pid,
	s.heartbeat_at,
	s.roots_key,
	s.owner_boot_id,
	s.owner_started_at,
	s.series_id,
	s.series_no,
	s.incremental,
	s.pruned_at,
	coalesce(p.bytes_read, 0) as bytes_read
from treesum_scan s
left join lateral (
	select count(*) as attempts, min(e.start_time) as first_start
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
) runs on true
left join lateral (
	select e.status, e.end_time, e.exit_message
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
	order by e.job_execution_id desc
	limit 1
) last on true
left join lateral (
	select count(*) as partitions,
		count(*) filter (where exists (
			select 1
			from batch_step_execution se
			join batch_job_execution e on e.job_execution_id = se.job_execution_id
			where e.job_instance_id = s.job_instance_id
				and se.step_name = 'mountStep:' || tp.name
				and se.status = 'COMPLETED')) as partitions_done,
		sum(tp.files) as files,
		sum(tp.bytes) as bytes,
		sum(tp.errors) as errors,
		sum(tp.bytes_read) as bytes_read
	from treesum_partition tp
	where tp.scan_id = s.id
) p on true;

-- Per partition: what it is, what it stored, and how long its attempts ran.
create or replace view treesum_partition_status as
select tp.scan_id,
	tp.name,
	treesum_path_text(tp.root) as root,
	treesum_path_text(tp.mountpoint) as mountpoint,
	tp.device,
	tp.fs_type,
	tp.source,
	tp.disk,
	tp.io_concurrency,
	tp.files,
	tp.bytes,
	tp.errors,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.seconds, 0) as seconds,
	case when coalesce(runs.seconds, 0) > 0 then tp.files / runs.seconds end as files_per_second,
	case when coalesce(runs.seconds, 0) > 0 then tp.bytes / runs.seconds end as bytes_per_second,
	tp.bytes_read,
	tp.io_concurrency_used,
	tp.io_auto,
	tp.part,
	tp.reverify_budget,
	tp.reverify_bytes
from treesum_partition tp
join treesum_scan s on s.id = tp.scan_id
left join lateral (
	select sum(extract(epoch from (coalesce(se.end_time, se.last_updated) - se.start_time))) as seconds
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
) runs on true
left join lateral (
	select se.status
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
	order by se.step_execution_id desc
	limit 1
) last on true;

-- What could not be examined or hashed, and why.
create or replace view treesum_errors as
select er.scan_id, treesum_path_text(d.path) as path, treesum_status(e.status) as status, er.message as error,
	treesum_kind(sh.kind) as kind, p.name as partition_name
from treesum_error er
join treesum_entry e on e.scan_id = er.scan_id and e.path_no = er.path_no
join treesum_scan s on s.id = er.scan_id
join treesum_path d on d.series_id = s.series_id and d.path_no = er.path_no
join treesum_shape sh on sh.id = e.shape_id
join treesum_partition p on p.scan_id = e.scan_id and p.part = sh.part;

-- The scan a change report compares with: the previous completed scan of the same roots
-- on the same host.
create or replace function treesum_previous_scan(scan bigint) returns bigint
language sql stable as $$
	select max(p.scan_id)
	from treesum_scan s
	join treesum_scan_status p on p.host = s.host and p.roots_key = s.roots_key
	where s.id = scan and p.scan_id < scan and p.state = 'COMPLETED'
$$;

-- The regular files of one scan, with their paths and digests.
create or replace function treesum_scan_files(scan bigint)
returns table (path_no integer, path bytea, size bigint, mtime_ns bigint, digest bytea, mode integer, uid bigint,
	gid bigint, part smallint, inode bigint)
language sql stable as $$
	select e.path_no, d.path, e.size, e.mtime_ns, e.content, sh.mode, sh.uid, sh.gid, sh.part, e.inode
	from treesum_entry e
	join treesum_shape sh on sh.id = e.shape_id
	join treesum_scan s on s.id = e.scan_id
	join treesum_path d on d.series_id = s.series_id and d.path_no = e.path_no
	where e.scan_id = scan and sh.kind = 'f'
$$;

-- What changed between a base scan and a later one, for regular files:
--   added, deleted: the path is only in one of them;
--   modified: the digest changed and so did the size or the modification time;
--   corrupted: the digest changed while size and modification time did not (bit rot, or a
--     write that restored the mtime);
--   moved: a deleted path's digest and size reappear at an added path, paired one to one;
--   attributes: mode, owner or group changed, content not;
--   touched (only with include_touched): the modification time changed, content not.
-- Files whose digest is unknown in either scan (unreadable, changed during read) are compared
-- by size and modification time only.
create or replace function treesum_changes(scan bigint, base bigint, include_touched boolean default false)
returns table (change text, path text, previous_path text, size bigint, previous_digest text, digest text)
language sql stable as $$
	with differences as materialized (
		select n.path as new_path, o.path as old_path,
			n.size as new_size, o.size as old_size, n.mtime_ns as new_mtime, o.mtime_ns as old_mtime,
			n.digest as new_digest, o.digest as old_digest,
			n.mode is distinct from o.mode or n.uid is distinct from o.uid or n.gid is distinct from o.gid as attributes
		from treesum_scan_files(scan) n
		full join treesum_scan_files(base) o on o.path = n.path
		where n.path is null or o.path is null
			or case
				when n.digest is not null and o.digest is not null then n.digest <> o.digest
				else n.size is distinct from o.size or n.mtime_ns is distinct from o.mtime_ns
			end
			or n.mode is distinct from o.mode or n.uid is distinct from o.uid or n.gid is distinct from o.gid
			or (include_touched and n.mtime_ns is distinct from o.mtime_ns)
	),
	-- Added and deleted files, numbered within each side's files of one digest and size.
	ranked as (
		select case when d.old_path is null then 'added' else 'deleted' end as side,
			coalesce(d.new_path, d.old_path) as path,
			coalesce(d.new_size, d.old_size) as size,
			coalesce(d.new_digest, d.old_digest) as digest,
			row_number() over (partition by d.old_path is null, coalesce(d.new_digest, d.old_digest),
				coalesce(d.new_size, d.old_size) order by coalesce(d.new_path, d.old_path)) as rank
		from differences d
		where d.new_path is null or d.old_path is null
	),
	-- The n-th added and the n-th deleted file of one digest and size are a move: one to one.
	paired as (
		select r.side, r.path, r.size, r.digest,
			r.digest is not null and count(*) over pair = 2 as moved,
			(array_agg(r.path) filter (where r.side = 'deleted') over pair)[1] as previous_path
		from ranked r
		window pair as (partition by r.digest, r.size, r.rank)
	),
	kept as (
		select case
				when d.new_digest is not null and d.old_digest is not null and d.new_digest = d.old_digest then
					case when d.attributes then 'attributes' else 'touched' end
				when d.new_digest is not null and d.old_digest is not null and d.new_size = d.old_size
					and d.new_mtime = d.old_mtime then 'corrupted'
				when d.new_digest is null or d.old_digest is null then
					case when d.new_size is distinct from d.old_size or d.new_mtime is distinct from d.old_mtime
						then 'modified' when d.attributes then 'attributes' else 'touched' end
				else 'modified'
			end as change,
			d.new_path, d.new_size, d.old_digest, d.new_digest, d.new_mtime, d.old_mtime
		from differences d
		where d.new_path is not null and d.old_path is not null
	)
	select case when p.moved then 'moved' else p.side end, treesum_path_text(p.path),
		case when p.moved then treesum_path_text(p.previous_path) end, p.size,
		case when p.side = 'deleted' or p.moved then encode(p.digest, 'hex') end,
		case when p.side = 'added' then encode(p.digest, 'hex') end
	from paired p
	where not (p.moved and p.side = 'deleted')
	union all
	select k.change, treesum_path_text(k.new_path), null, k.new_size, encode(k.old_digest, 'hex'),
		encode(k.new_digest, 'hex')
	from kept k
	where k.change <> 'touched' or (include_touched and k.new_mtime is distinct from k.old_mtime)
$$;

-- Groups of regular files with the same digest and size. Hard links to one inode are one
-- file (the first of their paths stands for them), so a group needs two distinct inodes.
create or replace function treesum_duplicates(scan bigint, include_empty boolean default false)
returns table ("group" bigint, digest text, size bigint, path text)
language sql stable as $$
	with files as (
		select distinct on (f.digest, f.size, f.part, f.inode) f.digest, f.size, f.path
		from treesum_scan_files(scan) f
		where f.digest is not null and (include_empty or f.size > 0)
		order by f.digest, f.size, f.part, f.inode, f.path
	),
	counted as (
		select f.digest, f.size, f.path, count(*) over (partition by f.digest, f.size) as copies
		from files f
	)
	select dense_rank() over (order by c.size desc, c.digest), encode(c.digest, 'hex'), c.size,
		treesum_path_text(c.path)
	from counted c
	where c.copies > 1
	order by 1, c.path
$$;
