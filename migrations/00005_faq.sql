-- +goose Up

-- Frequently asked questions of /domande-frequenti, edited by redattori
-- and amministratori in the staff area. answer_md is what staff typed;
-- answer_html is its sanitised rendering (content.Render), the only form
-- the public page shows. position orders the list; it is unique, checked
-- at commit so that two items can swap places in one transaction.
CREATE TABLE faq_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position    integer NOT NULL,
    question    text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 300 AND question = btrim(question)),
    answer_md   text NOT NULL DEFAULT '' CHECK (char_length(answer_md) <= 12000),
    answer_html text NOT NULL DEFAULT '',
    published   boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  bigint REFERENCES staff_users (id) ON DELETE SET NULL,
    CONSTRAINT faq_items_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);

-- The questions the page carried when it was a static text.
INSERT INTO faq_items (position, question, answer_md, answer_html) VALUES
    (1, 'Che cos''è l''Ufficio della Cittadinanza?',
     'È un servizio sociale pubblico e gratuito dei Comuni dell''Umbria. È il punto di accesso alla rete dei servizi sociali, socio-educativi e socio-sanitari: qui puoi avere informazioni, essere ascoltato e orientato verso gli aiuti adatti alla tua situazione.',
     '<p>È un servizio sociale pubblico e gratuito dei Comuni dell''Umbria. È il punto di accesso alla rete dei servizi sociali, socio-educativi e socio-sanitari: qui puoi avere informazioni, essere ascoltato e orientato verso gli aiuti adatti alla tua situazione.</p>'),
    (2, 'Chi può rivolgersi all''Ufficio della Cittadinanza?',
     'Tutte le persone residenti o che vivono nei Comuni dell''Umbria, di qualsiasi età e nazionalità.',
     '<p>Tutte le persone residenti o che vivono nei Comuni dell''Umbria, di qualsiasi età e nazionalità.</p>'),
    (3, 'Quanto costa?',
     'Niente: il servizio è gratuito, sia il primo colloquio sia gli appuntamenti successivi.',
     '<p>Niente: il servizio è gratuito, sia il primo colloquio sia gli appuntamenti successivi.</p>'),
    (4, 'Chi incontro all''Ufficio della Cittadinanza?',
     'Negli uffici lavorano assistenti sociali, educatori professionali e comunicatori.',
     '<p>Negli uffici lavorano assistenti sociali, educatori professionali e comunicatori.</p>'),
    (5, 'Come trovo il mio Ufficio della Cittadinanza?',
     'Nella pagina [Trova il tuo ufficio](/comuni) ci sono tutti i Comuni dell''Umbria, divisi per Zona sociale. Scegli il tuo Comune per vedere l''indirizzo, i contatti e gli orari del tuo ufficio.',
     '<p>Nella pagina <a href="/comuni" rel="noopener">Trova il tuo ufficio</a> ci sono tutti i Comuni dell''Umbria, divisi per Zona sociale. Scegli il tuo Comune per vedere l''indirizzo, i contatti e gli orari del tuo ufficio.</p>'),
    (6, 'Posso andare senza appuntamento?',
     'Sì. Durante gli orari di accoglienza puoi andare all''ufficio senza appuntamento per avere una prima informazione. Trovi gli orari di ogni ufficio nella pagina [Trova il tuo ufficio](/comuni).',
     '<p>Sì. Durante gli orari di accoglienza puoi andare all''ufficio senza appuntamento per avere una prima informazione. Trovi gli orari di ogni ufficio nella pagina <a href="/comuni" rel="noopener">Trova il tuo ufficio</a>.</p>'),
    (7, 'Cosa devo portare?',
     'Porta un documento d''identità e, se li hai, i documenti che riguardano la tua situazione e che possono aiutare a capire di cosa hai bisogno.',
     '<p>Porta un documento d''identità e, se li hai, i documenti che riguardano la tua situazione e che possono aiutare a capire di cosa hai bisogno.</p>'),
    (8, 'Come prenoto un appuntamento?',
     'Puoi chiedere un appuntamento con un assistente sociale o con un educatore professionale dalla pagina [Prenota un appuntamento](/prenota): scegli il Comune, l''ufficio, il giorno e l''ora. Ti arriva un''e-mail di conferma.',
     '<p>Puoi chiedere un appuntamento con un assistente sociale o con un educatore professionale dalla pagina <a href="/prenota" rel="noopener">Prenota un appuntamento</a>: scegli il Comune, l''ufficio, il giorno e l''ora. Ti arriva un''e-mail di conferma.</p>'),
    (9, 'Serve un account per prenotare?',
     'No, per prenotare non serve registrarsi né avere un account: bastano i tuoi dati e un indirizzo e-mail.',
     '<p>No, per prenotare non serve registrarsi né avere un account: bastano i tuoi dati e un indirizzo e-mail.</p>'),
    (10, 'Come sposto o annullo un appuntamento?',
     'Usa il link personale che trovi nell''e-mail di conferma, oppure telefona all''ufficio. Trovi il numero nella pagina [Trova il tuo ufficio](/comuni). Se non puoi andare, avvisa: l''orario potrà essere dato a un''altra persona.',
     '<p>Usa il link personale che trovi nell''e-mail di conferma, oppure telefona all''ufficio. Trovi il numero nella pagina <a href="/comuni" rel="noopener">Trova il tuo ufficio</a>. Se non puoi andare, avvisa: l''orario potrà essere dato a un''altra persona.</p>'),
    (11, 'Posso chiedere un interprete o un aiuto per l''accessibilità?',
     'Sì. Quando prenoti puoi indicare se ti serve un interprete, per esempio di un''altra lingua o della lingua dei segni, o un altro supporto per l''accessibilità, così l''ufficio può organizzarsi.',
     '<p>Sì. Quando prenoti puoi indicare se ti serve un interprete, per esempio di un''altra lingua o della lingua dei segni, o un altro supporto per l''accessibilità, così l''ufficio può organizzarsi.</p>'),
    (12, 'Come vengono trattati i miei dati?',
     'I dati della prenotazione sono usati solo per gestire l''appuntamento e sono visti dal personale dell''ufficio che hai scelto. Nella nota scrivi solo in generale di cosa vuoi parlare, senza dettagli sulla salute. Trovi tutte le informazioni nell''[informativa sul trattamento dei dati personali](/privacy).',
     '<p>I dati della prenotazione sono usati solo per gestire l''appuntamento e sono visti dal personale dell''ufficio che hai scelto. Nella nota scrivi solo in generale di cosa vuoi parlare, senza dettagli sulla salute. Trovi tutte le informazioni nell''<a href="/privacy" rel="noopener">informativa sul trattamento dei dati personali</a>.</p>');

-- +goose Down
DROP TABLE faq_items;
