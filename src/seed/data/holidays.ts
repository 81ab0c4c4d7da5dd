/** A public holiday on the same calendar day every year (`MM-DD`). */
export interface FixedHoliday {
  monthDay: string;
  name: string;
  /** First year it is observed (Poland's Christmas Eve became a holiday in 2025). */
  fromYear?: number;
}

const holidays = (entries: Record<string, string>): FixedHoliday[] =>
  Object.entries(entries).map(([monthDay, name]) => ({ monthDay, name }));

/**
 * The real fixed-date national public holidays of every seeded country, under their official
 * names. Movable feasts (Easter, Whit Monday, Thanksgiving, "first Monday of …") and substitute
 * days are left out on purpose: the seed only claims what holds on the same date every year.
 */
export const NATIONAL_HOLIDAYS: Readonly<Record<string, readonly FixedHoliday[]>> = {
  AT: holidays({
    '01-01': 'Neujahr',
    '01-06': 'Heilige Drei Könige',
    '05-01': 'Staatsfeiertag',
    '08-15': 'Mariä Himmelfahrt',
    '10-26': 'Nationalfeiertag',
    '11-01': 'Allerheiligen',
    '12-08': 'Mariä Empfängnis',
    '12-25': 'Christtag',
    '12-26': 'Stefanitag',
  }),
  AU: holidays({
    '01-01': "New Year's Day",
    '01-26': 'Australia Day',
    '04-25': 'Anzac Day',
    '12-25': 'Christmas Day',
    '12-26': 'Boxing Day',
  }),
  BE: holidays({
    '01-01': "Jour de l'An",
    '05-01': 'Fête du Travail',
    '07-21': 'Fête nationale',
    '08-15': 'Assomption',
    '11-01': 'Toussaint',
    '11-11': 'Armistice',
    '12-25': 'Noël',
  }),
  BR: holidays({
    '01-01': 'Confraternização Universal',
    '04-21': 'Tiradentes',
    '05-01': 'Dia do Trabalhador',
    '09-07': 'Independência do Brasil',
    '10-12': 'Nossa Senhora Aparecida',
    '11-02': 'Finados',
    '11-15': 'Proclamação da República',
    '11-20': 'Dia Nacional de Zumbi e da Consciência Negra',
    '12-25': 'Natal',
  }),
  CA: holidays({
    '01-01': "New Year's Day",
    '07-01': 'Canada Day',
    '12-25': 'Christmas Day',
  }),
  CH: holidays({
    '01-01': 'Neujahr',
    '08-01': 'Bundesfeier',
    '12-25': 'Weihnachtstag',
  }),
  CZ: holidays({
    '01-01': 'Den obnovy samostatného českého státu',
    '05-01': 'Svátek práce',
    '05-08': 'Den vítězství',
    '07-05': 'Den slovanských věrozvěstů Cyrila a Metoděje',
    '07-06': 'Den upálení mistra Jana Husa',
    '09-28': 'Den české státnosti',
    '10-28': 'Den vzniku samostatného československého státu',
    '11-17': 'Den boje za svobodu a demokracii',
    '12-24': 'Štědrý den',
    '12-25': '1. svátek vánoční',
    '12-26': '2. svátek vánoční',
  }),
  DE: holidays({
    '01-01': 'Neujahr',
    '05-01': 'Tag der Arbeit',
    '10-03': 'Tag der Deutschen Einheit',
    '12-25': '1. Weihnachtstag',
    '12-26': '2. Weihnachtstag',
  }),
  DK: holidays({
    '01-01': 'Nytårsdag',
    '12-25': 'Juledag',
    '12-26': 'Anden juledag',
  }),
  ES: holidays({
    '01-01': 'Año Nuevo',
    '01-06': 'Epifanía del Señor',
    '05-01': 'Fiesta del Trabajo',
    '08-15': 'Asunción de la Virgen',
    '10-12': 'Fiesta Nacional de España',
    '11-01': 'Todos los Santos',
    '12-06': 'Día de la Constitución Española',
    '12-08': 'Inmaculada Concepción',
    '12-25': 'Natividad del Señor',
  }),
  FR: holidays({
    '01-01': "Jour de l'an",
    '05-01': 'Fête du Travail',
    '05-08': 'Victoire 1945',
    '07-14': 'Fête nationale',
    '08-15': 'Assomption',
    '11-01': 'Toussaint',
    '11-11': 'Armistice 1918',
    '12-25': 'Noël',
  }),
  GB: holidays({
    '01-01': "New Year's Day",
    '12-25': 'Christmas Day',
    '12-26': 'Boxing Day',
  }),
  IE: holidays({
    '01-01': "New Year's Day",
    '03-17': "Saint Patrick's Day",
    '12-25': 'Christmas Day',
    '12-26': "Saint Stephen's Day",
  }),
  IT: holidays({
    '01-01': 'Capodanno',
    '01-06': 'Epifania',
    '04-25': 'Festa della Liberazione',
    '05-01': 'Festa dei Lavoratori',
    '06-02': 'Festa della Repubblica',
    '08-15': 'Ferragosto',
    '11-01': 'Ognissanti',
    '12-08': 'Immacolata Concezione',
    '12-25': 'Natale',
    '12-26': 'Santo Stefano',
  }),
  JP: holidays({
    '01-01': "New Year's Day",
    '02-11': 'National Foundation Day',
    '02-23': "The Emperor's Birthday",
    '04-29': 'Showa Day',
    '05-03': 'Constitution Memorial Day',
    '05-04': 'Greenery Day',
    '05-05': "Children's Day",
    '08-11': 'Mountain Day',
    '11-03': 'Culture Day',
    '11-23': 'Labor Thanksgiving Day',
  }),
  MX: holidays({
    '01-01': 'Año Nuevo',
    '05-01': 'Día del Trabajo',
    '09-16': 'Día de la Independencia',
    '12-25': 'Navidad',
  }),
  NL: holidays({
    '01-01': 'Nieuwjaarsdag',
    '04-27': 'Koningsdag',
    '05-05': 'Bevrijdingsdag',
    '12-25': 'Eerste Kerstdag',
    '12-26': 'Tweede Kerstdag',
  }),
  PL: [
    ...holidays({
      '01-01': 'Nowy Rok',
      '01-06': 'Święto Trzech Króli',
      '05-01': 'Święto Pracy',
      '05-03': 'Święto Narodowe Trzeciego Maja',
      '08-15': 'Wniebowzięcie Najświętszej Maryi Panny',
      '11-01': 'Wszystkich Świętych',
      '11-11': 'Narodowe Święto Niepodległości',
      '12-25': 'Pierwszy dzień Bożego Narodzenia',
      '12-26': 'Drugi dzień Bożego Narodzenia',
    }),
    { monthDay: '12-24', name: 'Wigilia Bożego Narodzenia', fromYear: 2025 },
  ],
  PT: holidays({
    '01-01': 'Ano Novo',
    '04-25': 'Dia da Liberdade',
    '05-01': 'Dia do Trabalhador',
    '06-10': 'Dia de Portugal, de Camões e das Comunidades Portuguesas',
    '08-15': 'Assunção de Nossa Senhora',
    '10-05': 'Implantação da República',
    '11-01': 'Dia de Todos os Santos',
    '12-01': 'Restauração da Independência',
    '12-08': 'Imaculada Conceição',
    '12-25': 'Natal',
  }),
  SE: holidays({
    '01-01': 'Nyårsdagen',
    '01-06': 'Trettondedag jul',
    '05-01': 'Första maj',
    '06-06': 'Sveriges nationaldag',
    '12-25': 'Juldagen',
    '12-26': 'Annandag jul',
  }),
  SG: holidays({
    '01-01': "New Year's Day",
    '05-01': 'Labour Day',
    '08-09': 'National Day',
    '12-25': 'Christmas Day',
  }),
  US: holidays({
    '01-01': "New Year's Day",
    '06-19': 'Juneteenth National Independence Day',
    '07-04': 'Independence Day',
    '11-11': 'Veterans Day',
    '12-25': 'Christmas Day',
  }),
};

/**
 * Real regional or municipal fixed-date holidays that close venues in one city only (state,
 * canton, province or city holidays), keyed by city slug.
 */
export const CITY_HOLIDAYS: Readonly<Record<string, readonly FixedHoliday[]>> = {
  berlin: holidays({ '03-08': 'Internationaler Frauentag' }),
  munich: holidays({ '01-06': 'Heilige Drei Könige', '08-15': 'Mariä Himmelfahrt', '11-01': 'Allerheiligen' }),
  hamburg: holidays({ '10-31': 'Reformationstag' }),
  cologne: holidays({ '11-01': 'Allerheiligen' }),
  edinburgh: holidays({ '01-02': '2nd January', '11-30': "Saint Andrew's Day" }),
  madrid: holidays({
    '05-02': 'Fiesta de la Comunidad de Madrid',
    '05-15': 'San Isidro Labrador',
    '11-09': 'Nuestra Señora de la Almudena',
  }),
  barcelona: holidays({
    '06-24': 'Sant Joan',
    '09-11': 'Diada Nacional de Catalunya',
    '09-24': 'La Mercè',
    '12-26': 'Sant Esteve',
  }),
  valencia: holidays({ '01-22': 'Sant Vicent Màrtir', '10-09': 'Dia de la Comunitat Valenciana' }),
  rome: holidays({ '06-29': 'Santi Pietro e Paolo' }),
  milan: holidays({ '12-07': "Sant'Ambrogio" }),
  florence: holidays({ '06-24': 'San Giovanni Battista' }),
  lisbon: holidays({ '06-13': 'Santo António' }),
  porto: holidays({ '06-24': 'São João' }),
  zurich: holidays({ '01-02': 'Berchtoldstag', '05-01': 'Tag der Arbeit', '12-26': 'Stephanstag' }),
  geneva: holidays({ '12-31': 'Restauration de la République' }),
  toronto: holidays({ '12-26': 'Boxing Day' }),
  montreal: holidays({ '06-24': 'Fête nationale du Québec' }),
  vancouver: holidays({ '09-30': 'National Day for Truth and Reconciliation', '11-11': 'Remembrance Day' }),
  'sao-paulo': holidays({ '01-25': 'Aniversário de São Paulo', '07-09': 'Revolução Constitucionalista de 1932' }),
  'rio-de-janeiro': holidays({ '01-20': 'Dia de São Sebastião', '04-23': 'Dia de São Jorge' }),
};
