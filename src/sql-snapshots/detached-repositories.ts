import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appEntities } from '../app.entities';
import { UnitOfWork } from '../database/unit-of-work';

export interface DetachedRepositories {
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * The repositories wired as the app wires them (UnitOfWork, `Repository<Entity>` for every
 * entity), on a detached DataSource: no HTTP, no pool of TypeORM's, only the statements.
 */
export async function wireDetachedRepositories(dataSource: DataSource, repositories: readonly Type[]): Promise<DetachedRepositories> {
  @Module({
    providers: [
      { provide: DataSource, useValue: dataSource },
      UnitOfWork,
      ...appEntities.map((entity) => ({ provide: getRepositoryToken(entity), useValue: dataSource.getRepository(entity) })),
      ...repositories,
    ],
  })
  class DetachedRepositoriesModule {}
  const context = await NestFactory.createApplicationContext(DetachedRepositoriesModule, { logger: false });
  return { get: (type) => context.get(type), close: () => context.close() };
}
