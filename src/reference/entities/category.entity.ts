import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('categories')
@Unique('categories_slug_key', ['slug'])
export class Category {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'categories_pkey' })
  id: number;

  @Column('text')
  slug: string;

  @Column('text')
  name: string;
}
