// The store's in-memory data: stands in for your real service's database.
export interface ProductRecord {
  id: string;
  name: string;
  category: 'TENTS' | 'PACKS' | 'STOVES';
  price: number;
  inStock: boolean;
}

export interface ReviewRecord {
  id: string;
  productId: string;
  rating: number;
  text: string | null;
  author: string;
}

export function seedProducts(): ProductRecord[] {
  return [
    { id: 'P-1', name: 'Ridge 2 tent', category: 'TENTS', price: 34_900, inStock: true },
    { id: 'P-2', name: 'Summit 1 tent', category: 'TENTS', price: 27_500, inStock: false },
    { id: 'P-3', name: 'Trail 45 pack', category: 'PACKS', price: 18_900, inStock: true },
    { id: 'P-4', name: 'Daypack 20', category: 'PACKS', price: 7_900, inStock: true },
    { id: 'P-5', name: 'Alpine stove', category: 'STOVES', price: 6_400, inStock: true },
    { id: 'P-6', name: 'Pocket stove', category: 'STOVES', price: 3_900, inStock: true },
    { id: 'P-7', name: 'Expedition 70 pack', category: 'PACKS', price: 31_000, inStock: true },
  ];
}

export function seedReviews(): ReviewRecord[] {
  return [
    { id: 'R-1', productId: 'P-1', rating: 5, text: 'Dry through a storm.', author: 'ada' },
    { id: 'R-2', productId: 'P-1', rating: 4, text: null, author: 'grace' },
    { id: 'R-3', productId: 'P-2', rating: 3, text: 'Cramped.', author: 'alan' },
    { id: 'R-4', productId: 'P-3', rating: 5, text: 'Carries well.', author: 'ada' },
    { id: 'R-5', productId: 'P-4', rating: 4, text: null, author: 'edsger' },
    { id: 'R-6', productId: 'P-5', rating: 2, text: 'Sputters in wind.', author: 'barbara' },
    { id: 'R-7', productId: 'P-6', rating: 4, text: 'Tiny.', author: 'grace' },
  ];
}
