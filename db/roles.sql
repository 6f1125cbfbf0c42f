-- Roles for a PostgreSQL server that treesum shares with others. Run it once, as a
-- superuser or a role with CREATEROLE, before the first scan:
--
--   psql -d DATABASE -f db/roles.sql
--   psql -d DATABASE -c "alter role treesum_owner password '...'"     # and the two others
--
-- treesum_owner  owns the schema and runs the migrations: give it to Flyway only
--                (SPRING_FLYWAY_USER / SPRING_FLYWAY_PASSWORD).
-- treesum_writer runs scans, restarts and prune (SPRING_DATASOURCE_USERNAME / _PASSWORD).
-- treesum_reporter reads: status, every report and view, export, and psql.
--
-- The schema is treesum, treesum.schema's default; for another name, change it here.
-- Tables the owner creates later (each scan's partitions) get the same rights.

create role treesum_owner login;
create role treesum_writer login;
create role treesum_reporter login;

create schema if not exists treesum authorization treesum_owner;
grant usage on schema treesum to treesum_writer, treesum_reporter;

alter default privileges for role treesum_owner in schema treesum
	grant select, insert, update, delete on tables to treesum_writer;
alter default privileges for role treesum_owner in schema treesum
	grant usage, select, update on sequences to treesum_writer;
alter default privileges for role treesum_owner in schema treesum
	grant select on tables to treesum_reporter;

-- PostgreSQL 17 lets the owner hand on VACUUM and ANALYZE, which a completed scan runs on
-- its entries; on older servers autovacuum does it.
do $$
begin
	if current_setting('server_version_num')::integer >= 170000 then
		execute 'alter default privileges for role treesum_owner in schema treesum '
			|| 'grant maintain on tables to treesum_writer';
	end if;
end
$$;
