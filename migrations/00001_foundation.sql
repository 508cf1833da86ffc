-- +goose Up

-- Zone sociali of Umbria (Legge regionale 11/2015): twelve territorial
-- areas that organise the social services.
CREATE TABLE zone_sociali (
    id       smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 99),
    name     text NOT NULL,
    capofila text NOT NULL DEFAULT ''
);

-- The Comuni, from ISTAT's list. zona_id is NULL where no source confirms
-- the zone (see internal/refdata/README).
CREATE TABLE comuni (
    istat     char(6) PRIMARY KEY CHECK (istat ~ '^[0-9]{6}$'),
    name      text NOT NULL,
    slug      text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    province  char(2) NOT NULL,
    belfiore  char(4) NOT NULL UNIQUE,
    cap       text NOT NULL DEFAULT '',
    zona_id   smallint REFERENCES zone_sociali (id)
);
CREATE INDEX comuni_zona_idx ON comuni (zona_id);

-- Controlled vocabulary of topics ("argomenti") of the Designers Italia
-- Modello Comuni.
CREATE TABLE topics (
    slug text PRIMARY KEY,
    name text NOT NULL UNIQUE
);

-- Service sheets ("schede servizio"). Sections are sanitised HTML.
CREATE TABLE service_sheets (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title            text NOT NULL CHECK (title <> ''),
    summary          text NOT NULL DEFAULT '',
    category         text NOT NULL DEFAULT 'Salute, benessere e assistenza',
    source_category  text NOT NULL DEFAULT '',
    service_status   text NOT NULL DEFAULT 'active' CHECK (service_status IN ('active', 'inactive')),
    status_reason    text NOT NULL DEFAULT '',
    publication      text NOT NULL DEFAULT 'published' CHECK (publication IN ('draft', 'published')),
    addressed_html   text NOT NULL DEFAULT '',
    description_html text NOT NULL DEFAULT '',
    how_to_html      text NOT NULL DEFAULT '',
    needed_html      text NOT NULL DEFAULT '',
    achieved_html    text NOT NULL DEFAULT '',
    calendar_html    text NOT NULL DEFAULT '',
    cost_html        text NOT NULL DEFAULT '',
    access_html      text NOT NULL DEFAULT '',
    other_info_html  text NOT NULL DEFAULT '',
    territorial_scope text NOT NULL DEFAULT '',
    legal_sources    jsonb NOT NULL DEFAULT '[]',
    official_sources jsonb NOT NULL DEFAULT '[]',
    author           text NOT NULL DEFAULT '',
    updated_on       date NOT NULL,
    content_hash     text NOT NULL DEFAULT '',
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    modified_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service_sheet_topics (
    sheet_id   bigint NOT NULL REFERENCES service_sheets (id) ON DELETE CASCADE,
    topic_slug text NOT NULL REFERENCES topics (slug),
    position   smallint NOT NULL DEFAULT 0,
    PRIMARY KEY (sheet_id, topic_slug)
);

-- Every saved state of a sheet, for history, comparison and restore.
CREATE TABLE service_sheet_versions (
    sheet_id   bigint NOT NULL REFERENCES service_sheets (id) ON DELETE CASCADE,
    version    integer NOT NULL,
    content    jsonb NOT NULL,
    changed_by text NOT NULL DEFAULT '',
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sheet_id, version)
);

-- Answers to the page-rating component. No personal data: no IP, no
-- cookie, no user agent; the optional comment is capped.
CREATE TABLE page_ratings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_path  text NOT NULL CHECK (length(page_path) <= 200),
    stars      smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    answer     text NOT NULL DEFAULT '' CHECK (length(answer) <= 100),
    comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX page_ratings_path_idx ON page_ratings (page_path, created_at);

-- Secrets shared by every instance (e.g. the key that signs CSRF tokens),
-- generated on first start so that several instances agree without extra
-- configuration.
CREATE TABLE app_secrets (
    name       text PRIMARY KEY,
    value      bytea NOT NULL CHECK (length(value) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO topics (slug, name) VALUES
 ('accesso-all-informazione', 'Accesso all''informazione'), ('acqua', 'Acqua'), ('agricoltura', 'Agricoltura'),
 ('animale-domestico', 'Animale domestico'), ('aria', 'Aria'), ('assistenza-agli-invalidi', 'Assistenza agli invalidi'),
 ('assistenza-sociale', 'Assistenza sociale'), ('associazioni', 'Associazioni'), ('bilancio', 'Bilancio'),
 ('commercio-all-ingrosso', 'Commercio all''ingrosso'), ('commercio-al-minuto', 'Commercio al minuto'),
 ('commercio-ambulante', 'Commercio ambulante'), ('comunicazione-istituzionale', 'Comunicazione istituzionale'),
 ('comunicazione-politica', 'Comunicazione politica'), ('concorsi', 'Concorsi'), ('covid-19', 'Covid-19'),
 ('elezioni', 'Elezioni'), ('energie-rinnovabili', 'Energie rinnovabili'), ('estero', 'Estero'), ('foreste', 'Foreste'),
 ('formazione-professionale', 'Formazione professionale'), ('gemellaggi', 'Gemellaggi'), ('gestione-rifiuti', 'Gestione rifiuti'),
 ('giustizia', 'Giustizia'), ('igiene-pubblica', 'Igiene pubblica'), ('immigrazione', 'Immigrazione'), ('imposte', 'Imposte'),
 ('imprese', 'Imprese'), ('inquinamento', 'Inquinamento'), ('integrazione-sociale', 'Integrazione sociale'),
 ('isolamento-termico', 'Isolamento termico'), ('istruzione', 'Istruzione'), ('lavoro', 'Lavoro'), ('matrimonio', 'Matrimonio'),
 ('mercato', 'Mercato'), ('mobilita-sostenibile', 'Mobilità sostenibile'), ('morte', 'Morte'), ('nascita', 'Nascita'),
 ('parcheggi', 'Parcheggi'), ('patrimonio-culturale', 'Patrimonio culturale'), ('pesca', 'Pesca'),
 ('piano-di-sviluppo', 'Piano di sviluppo'), ('pista-ciclabile', 'Pista ciclabile'), ('politica-commerciale', 'Politica commerciale'),
 ('polizia', 'Polizia'), ('prodotti-alimentari', 'Prodotti alimentari'), ('protezione-civile', 'Protezione civile'),
 ('residenza', 'Residenza'), ('risposta-alle-emergenze', 'Risposta alle emergenze'), ('sistema-giuridico', 'Sistema giuridico'),
 ('spazio-verde', 'Spazio Verde'), ('sport', 'Sport'), ('sviluppo-sostenibile', 'Sviluppo sostenibile'),
 ('tassa-sui-servizi', 'Tassa sui servizi'), ('tempo-libero', 'Tempo libero'), ('trasparenza-amministrativa', 'Trasparenza amministrativa'),
 ('trasporto-pubblico', 'Trasporto pubblico'), ('turismo', 'Turismo'), ('urbanizzazione', 'Urbanizzazione'), ('viaggi', 'Viaggi'),
 ('zone-pedonali', 'Zone pedonali'), ('ztl', 'ZTL');

-- +goose Down
DROP TABLE app_secrets, page_ratings, service_sheet_versions, service_sheet_topics, service_sheets, topics, comuni, zone_sociali;
