// Module FleetInventory.
