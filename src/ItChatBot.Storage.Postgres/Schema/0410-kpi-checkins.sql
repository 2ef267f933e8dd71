-- A lead's check-in notes on a technician (ICheckinStore); tech = the technician's id in lower case, as looked up.
create table kpi_checkins (
    id          text primary key,
    tech        text not null,
    technician  text not null,
    lead        text not null,
    at          timestamptz not null,
    note        text not null,
    snapshot    text not null
);
create index kpi_checkins_tech on kpi_checkins (tech, at);
