/** Word lists the generators combine into names, addresses and prose. */

export type Language = 'cs' | 'da' | 'de' | 'en' | 'es' | 'fr' | 'it' | 'ja' | 'nl' | 'pl' | 'pt' | 'sv';

/** How a street address is written: "12 High Street", "Hauptstraße 12", or a Japanese block number. */
export type AddressStyle = 'number-first' | 'number-last' | 'block-number';

export const STREETS: Readonly<Record<Language, { style: AddressStyle; names: readonly string[] }>> = {
  cs: { style: 'number-last', names: ['Národní', 'Vodičkova', 'Karlova', 'Dlouhá', 'Husova', 'Jindřišská', 'Na Poříčí', 'Vinohradská'] },
  da: { style: 'number-last', names: ['Strøget', 'Nørregade', 'Vesterbrogade', 'Gothersgade', 'Istedgade', 'Bredgade', 'Jægersborggade', 'Store Kongensgade'] },
  de: { style: 'number-last', names: ['Hauptstraße', 'Bahnhofstraße', 'Gartenstraße', 'Schillerstraße', 'Lindenstraße', 'Goethestraße', 'Kirchgasse', 'Am Markt', 'Friedrichstraße', 'Mühlenweg'] },
  en: { style: 'number-first', names: ['High Street', 'Market Street', 'Church Road', 'Park Avenue', 'King Street', 'Bridge Street', 'Mill Lane', 'Station Road', 'Harbour Street', 'Water Street'] },
  es: { style: 'number-last', names: ['Calle Mayor', 'Calle del Sol', 'Avenida de la Constitución', 'Calle Real', 'Calle Nueva', 'Paseo del Prado', 'Calle de la Luna', 'Avenida del Mar'] },
  fr: { style: 'number-first', names: ['rue de la République', 'rue Victor Hugo', 'avenue Jean Jaurès', 'rue Pasteur', 'rue du Marché', 'boulevard Voltaire', 'rue de la Gare', 'rue des Lilas', 'quai des Brumes'] },
  it: { style: 'number-last', names: ['Via Roma', 'Via Garibaldi', 'Via Dante', 'Corso Italia', 'Via Mazzini', 'Via Verdi', 'Via Cavour', 'Viale dei Giardini'] },
  ja: { style: 'block-number', names: ['Chuo', 'Kita', 'Minami', 'Higashi', 'Nishi', 'Honmachi', 'Motomachi', 'Sakae', 'Shinmachi'] },
  nl: { style: 'number-last', names: ['Kerkstraat', 'Prinsengracht', 'Keizersgracht', 'Nieuwstraat', 'Molenweg', 'Havenstraat', 'Stationsweg', 'Marktplein'] },
  pl: { style: 'number-last', names: ['ulica Marszałkowska', 'ulica Floriańska', 'ulica Nowy Świat', 'ulica Długa', 'ulica Mokotowska', 'ulica Grodzka', 'aleja Róż', 'ulica Piękna'] },
  pt: { style: 'number-last', names: ['Rua Augusta', 'Rua do Comércio', 'Avenida da Liberdade', 'Rua da Prata', 'Rua Direita', 'Rua das Flores', 'Rua do Carmo', 'Avenida Paulista'] },
  sv: { style: 'number-last', names: ['Drottninggatan', 'Storgatan', 'Kungsgatan', 'Götgatan', 'Hornsgatan', 'Sveavägen', 'Västerlånggatan', 'Strandvägen'] },
};

export const VENUE_NAME_ADJECTIVES: readonly string[] = [
  'Copper', 'Golden', 'Velvet', 'Silver', 'Hidden', 'Old', 'Little', 'Grand', 'Blue', 'Green',
  'Iron', 'Amber', 'Crimson', 'Quiet', 'Bright', 'Wild', 'Royal', 'Urban', 'Northern', 'Paper',
];

export const VENUE_NAME_NOUNS: readonly string[] = [
  'Fox', 'Harbour', 'Oak', 'Lantern', 'Mill', 'Anchor', 'Orchard', 'Heron', 'Foundry', 'Canal',
  'Willow', 'Lighthouse', 'Meadow', 'Bell', 'Compass', 'Granary', 'Sparrow', 'Tower', 'Vine', 'Brewery',
];

/** Sentences that follow a category's pitch in a venue description. */
export const VENUE_FEATURES: readonly string[] = [
  'Natural light all day through south-facing windows.',
  'Step-free access from the street and a goods lift.',
  'A fully equipped kitchen for caterers.',
  'Excellent public transport links, two minutes from the nearest station.',
  'In-house sound system and dimmable lighting.',
  'Cloakroom and accessible toilets on the same floor.',
  'Underfloor heating and air conditioning.',
  'A private entrance so guests arrive undisturbed.',
  'Flexible layout: theatre, banquet, cabaret or standing reception.',
  'Quiet neighbourhood; music allowed until 23:00.',
  'Original features restored by a local architect.',
  'A terrace for drinks between sessions.',
  'Loading bay for equipment and suppliers.',
  'Friendly on-site manager throughout your event.',
];

/** Review sentences by rating: index 0 holds the 1-star ones. */
export const REVIEW_SENTENCES: readonly (readonly string[])[] = [
  [
    'The venue was not what the photos promised.',
    'Nobody was on site when we arrived and we waited forty minutes.',
    'Heating did not work and the host never replied.',
    'Would not book again.',
  ],
  [
    'Smaller than described and quite noisy.',
    'The space was fine but the cleaning fee felt unfair.',
    'Communication with the host was slow.',
    'Some of the equipment was broken.',
  ],
  [
    'A decent space for the price.',
    'Good location, although the set-up took longer than planned.',
    'The room was clean but a bit dated.',
    'Did the job for our team day.',
  ],
  [
    'Lovely space and a very helpful host.',
    'Our guests loved the atmosphere.',
    'Easy to reach and everything worked.',
    'Great value; we will be back for the next offsite.',
  ],
  [
    'Absolutely perfect for our wedding reception.',
    'The host went above and beyond, thank you!',
    'Stunning venue, every guest asked where we found it.',
    'Flawless from booking to clean-up.',
  ],
];

export const PHOTO_CAPTIONS: readonly string[] = [
  'Main room',
  'Entrance',
  'Set up for a seated dinner',
  'Bar area',
  'Evening lighting',
  'Lounge corner',
  'View from the windows',
  'Terrace',
  'Theatre-style seating',
  'Detail of the original features',
];

export const BLACKOUT_REASONS: readonly string[] = [
  'Private event',
  'Maintenance',
  'Renovation works',
  'Host on holiday',
  'Deep cleaning',
  'Film shoot',
];

export const FIRST_NAMES: readonly string[] = [
  'Anna', 'Ben', 'Chloé', 'David', 'Elena', 'Felix', 'Grace', 'Hiro', 'Isabel', 'Jonas', 'Kenji', 'Laura',
  'Mateo', 'Nina', 'Oliver', 'Paula', 'Quentin', 'Rosa', 'Sofia', 'Tomasz', 'Uma', 'Victor', 'Wen', 'Yuki',
  'Zoe', 'Lukas', 'Marta', 'Noah', 'Emma', 'Jakub',
];

export const LAST_NAMES: readonly string[] = [
  'Müller', 'Smith', 'Dubois', 'García', 'Rossi', 'Tanaka', 'Jansen', 'Nowak', 'Silva', 'Andersson', 'Novák',
  'Jensen', 'Murphy', 'Brown', 'Schmidt', 'Martin', 'López', 'Bianchi', 'Suzuki', 'de Vries', 'Kowalski',
  'Costa', 'Johansson', 'Svoboda', 'Nielsen', "O'Brien", 'Taylor', 'Wagner', 'Moreau', 'Fernández',
];
