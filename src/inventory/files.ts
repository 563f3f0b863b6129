export const inventoryFiles = { csv: 'inventory.csv', xlsx: 'inventory.xlsx' } as const;
