type Range = readonly [min: number, max: number];

export interface CategoryData {
  slug: string;
  name: string;
  /** Words that end a venue's name ("Copper Fox Loft"). */
  nameSuffixes: readonly string[];
  /** Opening sentence of a venue description. */
  pitch: string;
  maxCapacity: Range;
  basePriceEuros: Range;
}

export const CATEGORIES: readonly CategoryData[] = [
  {
    slug: 'loft',
    name: 'Loft',
    nameSuffixes: ['Loft', 'Lofts', 'Warehouse'],
    pitch: 'A converted industrial loft with exposed brick, timber beams and tall steel windows.',
    maxCapacity: [20, 250],
    basePriceEuros: [150, 1500],
  },
  {
    slug: 'rooftop',
    name: 'Rooftop',
    nameSuffixes: ['Rooftop', 'Sky Terrace', 'Roof Deck'],
    pitch: 'An open-air rooftop terrace above the city, with a covered lounge for cooler evenings.',
    maxCapacity: [20, 300],
    basePriceEuros: [200, 2500],
  },
  {
    slug: 'restaurant',
    name: 'Restaurant',
    nameSuffixes: ['Kitchen', 'Bistro', 'Brasserie', 'Dining Room'],
    pitch: 'A restaurant available for private dining and exclusive hire, with its own kitchen team.',
    maxCapacity: [10, 220],
    basePriceEuros: [100, 1800],
  },
  {
    slug: 'conference-room',
    name: 'Conference room',
    nameSuffixes: ['Meeting Rooms', 'Boardroom', 'Forum', 'Conference Centre'],
    pitch: 'A quiet, daylight conference room set up for workshops, board meetings and trainings.',
    maxCapacity: [4, 150],
    basePriceEuros: [60, 900],
  },
  {
    slug: 'garden',
    name: 'Garden',
    nameSuffixes: ['Garden', 'Gardens', 'Orangery', 'Courtyard'],
    pitch: 'A walled garden with lawns, old trees and a glass pavilion in case of rain.',
    maxCapacity: [20, 400],
    basePriceEuros: [150, 2000],
  },
  {
    slug: 'gallery',
    name: 'Gallery',
    nameSuffixes: ['Gallery', 'Art Space', 'Kunsthalle'],
    pitch: 'A white-walled gallery space with track lighting, ideal for launches and receptions.',
    maxCapacity: [10, 200],
    basePriceEuros: [120, 1500],
  },
  {
    slug: 'studio',
    name: 'Studio',
    nameSuffixes: ['Studio', 'Studios', 'Atelier'],
    pitch: 'A flexible studio with a cyclorama wall, blackout blinds and a make-up room.',
    maxCapacity: [2, 60],
    basePriceEuros: [40, 600],
  },
  {
    slug: 'ballroom',
    name: 'Ballroom',
    nameSuffixes: ['Ballroom', 'Grand Hall', 'Assembly Rooms'],
    pitch: 'A grand ballroom with chandeliers, a sprung dance floor and a stage.',
    maxCapacity: [80, 500],
    basePriceEuros: [800, 5000],
  },
];

export interface AddOnData {
  slug: string;
  name: string;
  priceEuros: Range;
}

export const ADD_ONS: readonly AddOnData[] = [
  { slug: 'catering', name: 'Catering', priceEuros: [200, 2500] },
  { slug: 'av-equipment', name: 'AV equipment', priceEuros: [80, 600] },
  { slug: 'parking', name: 'Parking', priceEuros: [20, 150] },
  { slug: 'dj', name: 'DJ', priceEuros: [250, 1200] },
  { slug: 'projector', name: 'Projector and screen', priceEuros: [40, 200] },
  { slug: 'wifi', name: 'High-speed Wi-Fi', priceEuros: [0, 40] },
  { slug: 'bar-service', name: 'Bar service', priceEuros: [150, 1500] },
  { slug: 'cleaning', name: 'Cleaning', priceEuros: [60, 300] },
  { slug: 'security', name: 'Security staff', priceEuros: [120, 800] },
  { slug: 'photographer', name: 'Photographer', priceEuros: [300, 1500] },
  { slug: 'furniture', name: 'Furniture hire', priceEuros: [100, 900] },
  { slug: 'decoration', name: 'Decoration', priceEuros: [100, 1000] },
];

export interface SlotData {
  code: string;
  /** Alternative opening hours (`HH:MM`); each venue keeps one per code all week. */
  hours: ReadonlyArray<readonly [startsAt: string, endsAt: string]>;
  /** How a slot with its own price compares with the venue's base price. */
  priceFactor: number;
}

/** Day parts in the order they happen; `night` ends before midnight because ends_at > starts_at. */
export const SLOTS: readonly SlotData[] = [
  { code: 'morning', hours: [['08:00', '12:00'], ['09:00', '13:00']], priceFactor: 0.8 },
  { code: 'afternoon', hours: [['13:00', '17:00'], ['14:00', '18:00']], priceFactor: 0.9 },
  { code: 'evening', hours: [['18:00', '22:00'], ['17:00', '21:00']], priceFactor: 1.25 },
  { code: 'night', hours: [['22:00', '23:59'], ['21:30', '23:59']], priceFactor: 1.4 },
];
