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
--
-- Two scans of one series (the usual case: a scan and the previous one of the same roots)
-- share a dictionary, so their entries are joined by path number: a merge of the two
-- partitions read in path-number order through their primary keys, which needs no memory,
-- spills nothing, and, as path numbers are given out in walk order, reads each partition
-- nearly in its physical order. Entries that are the same in both (number, shape, size,
-- mtime and content) are dropped right there; only the few others are looked up further.
-- The planner would rather hash one side, spilling it to disk in batches at millions of
-- rows, and would put the inner side through a tuplestore; the plan is fixed here. EXECUTE
-- plans the query for the two scans given, so it reads their partitions only and the merge
-- can mark and restore its place in the inner index scan. Scans of different series (a
-- --base of other roots) have no numbers in common: their files are joined by path.
create or replace function treesum_changes(scan bigint, base bigint, include_touched boolean default false)
returns table (change text, path text, previous_path text, size bigint, previous_digest text, digest text)
language plpgsql stable
set enable_hashjoin = off
set enable_seqscan = off
set enable_bitmapscan = off
set enable_material = off
as $function$
begin
	return query execute $query$
	with
	-- Same series: the entries that are not the same in both scans, of any kind.
	pairs as materialized (
		select n.path_no as new_no, o.path_no as old_no, n.shape_id as new_shape, o.shape_id as old_shape,
			n.size as new_size, o.size as old_size, n.mtime_ns as new_mtime, o.mtime_ns as old_mtime,
			n.content as new_content, o.content as old_content
		from (select e.path_no, e.shape_id, e.size, e.mtime_ns, e.content from treesum_entry e where e.scan_id = $1) n
		full join (select e.path_no, e.shape_id, e.size, e.mtime_ns, e.content from treesum_entry e
			where e.scan_id = $2) o on o.path_no = n.path_no
		where $4 = $5
			and (n.path_no is null or o.path_no is null or n.shape_id <> o.shape_id
				or n.size is distinct from o.size or n.mtime_ns is distinct from o.mtime_ns
				or n.content is distinct from o.content)
	),
	-- Both ways, the regular files of either scan whose path is only in one of them, or
	-- whose content, size, mtime or attributes may differ.
	candidates as (
		select case when ns.kind = 'f' then dn.path end as new_path, case when os.kind = 'f' then dp.path end as old_path,
			case when ns.kind = 'f' then p.new_size end as new_size, case when os.kind = 'f' then p.old_size end as old_size,
			case when ns.kind = 'f' then p.new_mtime end as new_mtime,
			case when os.kind = 'f' then p.old_mtime end as old_mtime,
			case when ns.kind = 'f' then p.new_content end as new_digest,
			case when os.kind = 'f' then p.old_content end as old_digest,
			ns.mode as new_mode, os.mode as old_mode, ns.uid as new_uid, os.uid as old_uid, ns.gid as new_gid,
			os.gid as old_gid
		from pairs p
		left join treesum_shape ns on ns.id = p.new_shape
		left join treesum_shape os on os.id = p.old_shape
		left join treesum_path dn on dn.series_id = $4 and dn.path_no = p.new_no
		left join treesum_path dp on dp.series_id = $5 and dp.path_no = p.old_no
		where ns.kind = 'f' or os.kind = 'f'
		union all
		select n.path, o.path, n.size, o.size, n.mtime_ns, o.mtime_ns, n.digest, o.digest, n.mode, o.mode, n.uid, o.uid,
			n.gid, o.gid
		from treesum_scan_files($1) n
		full join treesum_scan_files($2) o on o.path = n.path
		where $4 is distinct from $5
	),
	differences as materialized (
		select c.new_path, c.old_path, c.new_size, c.old_size, c.new_mtime, c.old_mtime, c.new_digest, c.old_digest,
			c.new_mode is distinct from c.old_mode or c.new_uid is distinct from c.old_uid
				or c.new_gid is distinct from c.old_gid as attributes
		from candidates c
		where c.new_path is null or c.old_path is null
			or case
				when c.new_digest is not null and c.old_digest is not null then c.new_digest <> c.old_digest
				else c.new_size is distinct from c.old_size or c.new_mtime is distinct from c.old_mtime
			end
			or c.new_mode is distinct from c.old_mode or c.new_uid is distinct from c.old_uid
			or c.new_gid is distinct from c.old_gid
			or ($3 and c.new_mtime is distinct from c.old_mtime)
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
	where k.change <> 'touched' or ($3 and k.new_mtime is distinct from k.old_mtime)
	$query$ using scan, base, include_touched, (select s.series_id from treesum_scan s where s.id = scan),
		(select s.series_id from treesum_scan s where s.id = base);
end
$function$;

-- Groups of regular files with the same digest and size. Hard links to one inode are one
-- file (the first of their paths stands for them), so a group needs two distinct inodes.
--
-- One sort of the scan's entries finds the contents that occur more than once; it sorts by
-- a 64-bit hash of content and size, which compares as one integer where the digest would
-- compare byte by byte (ten million entries sort in half the time). Only those candidates
-- (a few in a hundred on most trees) are looked up further: a hash that two contents share
-- only adds candidates, and the groups are made of the exact content and size. Their paths
-- are looked up in path-number order, which is the dictionary's own order, so the lookups
-- read it front to back rather than at random (three times faster at a million candidates).
-- The result is sorted once: by size, content and path, which is the groups' order too.
-- The planner plans the query for the scan given (EXECUTE), so it reads that scan's
-- partition alone.
create or replace function treesum_duplicates(scan bigint, include_empty boolean default false)
returns table ("group" bigint, digest text, size bigint, path text)
language plpgsql stable as $function$
begin
	return query execute $query$
	with candidates as materialized (
		select c.content, c.size, c.path_no, c.shape_id, c.inode
		from (
			select e.content, e.size, e.path_no, e.shape_id, e.inode,
				count(*) over (partition by hash_record_extended(row(e.content, e.size), 0)) as copies
			from treesum_entry e
			where e.scan_id = $1 and e.content is not null and ($2 or e.size > 0)
		) c
		where c.copies > 1
	),
	-- Each regular file's path by its number, in number order (offset 0 keeps it a lookup
	-- per candidate: the planner, which cannot tell how few candidates there are, would
	-- read the whole dictionary instead).
	named as (
		select c.content, c.size, c.part, c.inode, d.path
		from (
			select c.content, c.size, c.path_no, sh.part, c.inode
			from candidates c
			join treesum_shape sh on sh.id = c.shape_id
			where sh.kind = 'f'
			order by c.path_no
		) c
		cross join lateral (
			select d.path from treesum_path d where d.series_id = $3 and d.path_no = c.path_no offset 0
		) d
	),
	files as (
		select distinct on (n.content, n.size, n.part, n.inode) n.content, n.size, n.path
		from named n
		order by n.content, n.size, n.part, n.inode, n.path
	),
	counted as (
		select f.content, f.size, f.path, count(*) over (partition by f.content, f.size) as copies
		from files f
	)
	select dense_rank() over (order by c.size desc, c.content), encode(c.content, 'hex'), c.size,
		treesum_path_text(c.path)
	from counted c
	where c.copies > 1
	order by c.size desc, c.content, c.path
	$query$ using scan, include_empty, (select s.series_id from treesum_scan s where s.id = scan);
end
$function$;

-- The regular files of one scan not verified by reading within a time, oldest first: those
-- whose digest was last read by a scan that started longer ago (or by one no longer known).
-- Files without a digest are not listed: they are errors, and report errors lists them.
create or replace function treesum_stale(scan bigint, older_than interval default interval '30 days')
returns table (path text, size bigint, verified_at timestamptz, verified_scan integer)
language sql stable as $$
	with verifications as materialized (
		select s.series_no - v.series_no as age, v.id, v.created_at
		from treesum_scan s
		join treesum_scan v on v.series_id = s.series_id and v.series_no <= s.series_no
		where s.id = scan
	)
	select treesum_path_text(d.path), e.size, v.created_at, v.id
	from treesum_entry e
	join treesum_shape sh on sh.id = e.shape_id
	join treesum_scan s on s.id = e.scan_id
	join treesum_path d on d.series_id = s.series_id and d.path_no = e.path_no
	left join verifications v on v.age = e.verified_age
	where e.scan_id = scan and sh.kind = 'f' and e.content is not null
		and (v.created_at is null or v.created_at < now() - older_than)
	order by v.created_at nulls first, d.path
$$;

-- Per partition of a scan (part) and in total (part null): its regular files and their
-- bytes, the oldest verification by reading among them, and how many of them (and how
-- many of their bytes) were verified within the last 7 and 30 days.
create or replace function treesum_verification(scan bigint)
returns table (part smallint, files bigint, bytes numeric, oldest_verified timestamptz, files_verified_7d bigint,
	bytes_verified_7d numeric, files_verified_30d bigint, bytes_verified_30d numeric)
language sql stable as $$
	with ages as (
		select sh.part, e.verified_age, count(*) as files, sum(e.size) as bytes
		from treesum_entry e
		join treesum_shape sh on sh.id = e.shape_id
		where e.scan_id = scan and sh.kind = 'f'
		group by sh.part, e.verified_age
	),
	verifications as (
		select s.series_no - v.series_no as age, v.created_at
		from treesum_scan s
		join treesum_scan v on v.series_id = s.series_id and v.series_no <= s.series_no
		where s.id = scan
	)
	select a.part, sum(a.files)::bigint, coalesce(sum(a.bytes), 0),
		min(v.created_at),
		coalesce(sum(a.files) filter (where v.created_at >= now() - interval '7 days'), 0)::bigint,
		coalesce(sum(a.bytes) filter (where v.created_at >= now() - interval '7 days'), 0),
		coalesce(sum(a.files) filter (where v.created_at >= now() - interval '30 days'), 0)::bigint,
		coalesce(sum(a.bytes) filter (where v.created_at >= now() - interval '30 days'), 0)
	from ages a
	left join verifications v on v.age = a.verified_age
	group by grouping sets ((a.part), ())
$$;

-- Groups of regular files with the same digest and size across the latest completed scan
-- of every host's every set of roots (scans whose entries prune dropped left out). Hard
-- links to one inode are one file, as in treesum_duplicates.
create or replace function treesum_duplicates_latest(include_empty boolean default false)
returns table ("group" bigint, digest text, size bigint, host text, scan integer, path text)
language sql stable as $$
	with latest as materialized (
		select distinct on (st.series_id) st.scan_id, st.series_id, st.host, st.algorithm
		from treesum_scan_status st
		where st.state = 'COMPLETED' and st.pruned_at is null
		order by st.series_id, st.scan_id desc
	),
	files as (
		select distinct on (l.algorithm, e.content, e.size, e.scan_id, sh.part, e.inode) l.algorithm, e.content,
			e.size, l.host, l.scan_id, d.path
		from latest l
		join treesum_entry e on e.scan_id = l.scan_id
		join treesum_shape sh on sh.id = e.shape_id
		join treesum_path d on d.series_id = l.series_id and d.path_no = e.path_no
		where sh.kind = 'f' and e.content is not null and (include_empty or e.size > 0)
		order by l.algorithm, e.content, e.size, e.scan_id, sh.part, e.inode, d.path
	),
	counted as (
		select f.*, count(*) over (partition by f.algorithm, f.content, f.size) as copies
		from files f
	)
	select dense_rank() over (order by c.size desc, c.content, c.algorithm), encode(c.content, 'hex'), c.size,
		c.host, c.scan_id, treesum_path_text(c.path)
	from counted c
	where c.copies > 1
	order by 1, c.host, c.path
$$;
